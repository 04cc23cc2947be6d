"""The parts of the original Silver Lining's silversupport package that apps used most.

silversupport.env: is_production(), is_devel(), canonical_hostname(), app_name(), instance_name()
silversupport.secret: get_secret(), get_key_ring()
silversupport.href: href(name) / href[name], the URLs of resources.ini's names
"""
from silversupport.resources import href  # noqa: F401
