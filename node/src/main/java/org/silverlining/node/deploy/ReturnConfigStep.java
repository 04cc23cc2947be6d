package org.silverlining.node.deploy;

import java.nio.file.Path;
import org.silverlining.core.AppConfig;
import org.silverlining.node.config.OwnConfiguration;
import org.silverlining.node.steps.Step;

/**
 * Makes the files of the configuration revision the instance was deployed with the newest revision
 * again, checked with its app.ini ({@link OwnConfiguration}); the undo records the revision that
 * was newest before again.
 */
final class ReturnConfigStep implements Step<Activation.Job> {
  /** Loads the instance's app.ini, when the step runs. */
  @FunctionalInterface
  interface AppIni {
    AppConfig load() throws Exception;
  }

  private final AppIni appIni;
  private final Path instanceDir;

  ReturnConfigStep(AppIni appIni, Path instanceDir) {
    this.appIni = appIni;
    this.instanceDir = instanceDir;
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public String run(Activation.Job job) throws Exception {
    job.config =
        OwnConfiguration.restore(
            job.revisions, job.config.own(), appIni.load(), instanceDir, job.target, job.who);
    return "revision " + job.config.after();
  }

  @Override
  public void undo(Activation.Job job) throws Exception {
    OwnConfiguration.undo(job.revisions, job.config, job.who);
  }
}
