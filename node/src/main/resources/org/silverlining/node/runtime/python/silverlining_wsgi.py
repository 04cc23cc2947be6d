"""The WSGI entry point gunicorn serves: the app named by SILVER_RUNNER, in its Silver Lining environ."""
import silverlining_boot

runner_module, application = silverlining_boot.application_for()
