package org.silverlining.node.cdn;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A push to S3-compatible storage that failed, with a message naming the bucket and endpoint, what
 * the storage said, and what to change. It never holds the keys.
 */
public final class CdnPushException extends Exception {
  private static final long serialVersionUID = 1L;

  CdnPushException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The failure of {@code what} ("the upload of static/") on the storage of {@code settings}. */
  static CdnPushException of(String what, CdnSettings settings, SdkException e) {
    return new CdnPushException(
        what + " to " + settings.where() + " failed: " + why(settings, e), e);
  }

  private static String why(CdnSettings s, SdkException e) {
    if (e instanceof S3Exception s3) {
      String code =
          s3.awsErrorDetails() == null ? "" : String.valueOf(s3.awsErrorDetails().errorCode());
      return switch (code) {
        case "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidSecurity" ->
            "the storage refused the keys ("
                + code
                + "); correct them with silver global-config --set "
                + CdnSettings.ACCESS_KEY
                + "=KEY_ID and --set "
                + CdnSettings.SECRET_KEY
                + " --secret";
        case "NoSuchBucket" ->
            "there is no bucket '"
                + s.target().bucket()
                + "' there; create it, or correct cdn (app.ini or global configuration)";
        case "AccessDenied" ->
            "the keys may not write there (AccessDenied); allow them to put and delete objects"
                + " below "
                + s.target();
        default ->
            "the storage answered HTTP "
                + s3.statusCode()
                + (code.isEmpty() || code.equals("null") ? "" : " (" + code + ")");
      };
    }
    if (e instanceof SdkClientException) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "cannot reach the storage ("
          + root
          + "); check "
          + CdnSettings.ENDPOINT
          + " in the global configuration and that the storage is up";
    }
    return e.getMessage();
  }
}
