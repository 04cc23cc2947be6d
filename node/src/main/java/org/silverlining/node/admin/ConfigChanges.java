package org.silverlining.node.admin;

import java.io.IOException;
import org.silverlining.node.api.Params;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.config.ConfigUploads;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;

/**
 * The configuration change a deploy or {@code config/apply} asks for: an upload staged earlier
 * ({@code config}), a revision to return to ({@code revert}), or {@code delete}; at most one.
 */
final class ConfigChanges {
  private final ConfigUploads uploads;
  private final ConfigView configView;

  ConfigChanges(ConfigUploads uploads, ConfigView configView) {
    this.uploads = uploads;
    this.configView = configView;
  }

  /** The parameters that say what to change. */
  record Asked(String location, String config, String message, String revert, boolean delete) {
    Asked {
      config = Params.optional(config);
      revert = Params.optional(revert);
      int given = (config != null ? 1 : 0) + (revert != null ? 1 : 0) + (delete ? 1 : 0);
      if (given > 1) {
        throw new InvalidParameterException(
            config != null ? "config" : "revert", "give one of config, revert and delete");
      }
    }
  }

  ConfigChange of(Asked asked) throws Exception {
    if (asked.config() != null) {
      try {
        return ConfigChange.upload(uploads.folder(asked.config()), asked.message());
      } catch (ConfigRejectedException e) {
        throw new NotFoundException(e.getMessage());
      }
    }
    if (asked.revert() != null) {
      return ConfigChange.revert(
          configView.revisionNamed(
              Params.required("location", asked.location()), "revert", asked.revert()));
    }
    return asked.delete() ? ConfigChange.delete() : ConfigChange.KEEP;
  }

  /** Deletes the staged upload the call named, used or not. */
  void discard(Asked asked) throws IOException {
    if (asked.config() != null) {
      uploads.discard(asked.config());
    }
  }
}
