package org.silverlining.node.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.node.state.StateStore;

/** The deployment registry as the management API shows it. */
public final class RegistryView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryView() {}

  /**
   * The registry of a location: the instance serving it now, its deployments and the switches made
   * by hand there, each list newest first.
   */
  public record Registry(
      String location,
      String active,
      List<Map<String, Object>> deployments,
      List<Switch> switches) {}

  /** A switch made by hand: rollback, activate or deactivate; the instance, the one replaced. */
  public record Switch(String kind, String instance, String replaced, String who, String at) {}

  /**
   * The deployments at {@code location}, with {@code active} the instance serving it now, and the
   * switches made by hand there (rollback, activate, deactivate); each list newest first.
   */
  public static Registry of(
      String location,
      String active,
      List<StateStore.DeploymentRecord> records,
      List<StateStore.SwitchRecord> switches) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (StateStore.DeploymentRecord r : records) {
      list.add(describe(r, active));
    }
    List<Switch> switched = new ArrayList<>();
    for (StateStore.SwitchRecord s : switches) {
      switched.add(new Switch(s.kind(), s.instance(), s.replaced(), s.who(), s.at()));
    }
    return new Registry(location, active, list, switched);
  }

  static Map<String, Object> describe(StateStore.DeploymentRecord r, String active) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("app", r.app());
    m.put("instance", r.instance());
    m.put("status", r.status());
    m.put("live", r.instance() != null && r.instance().equals(active));
    m.put("stage", r.stage());
    m.put("error", r.error());
    m.put("started", r.started());
    m.put("finished", r.finished());
    m.put("who", r.who());
    m.put("config_revision", r.configRevision());
    m.put("checkpoint", r.checkpoint());
    m.put("previous", r.before());
    m.put("vcs", parse(r.vcs(), new TypeReference<Map<String, Object>>() {}));
    m.put("stages", parse(r.stages(), new TypeReference<Map<String, Long>>() {}));
    return m;
  }

  private static <T> Object parse(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      return Map.of();
    }
  }
}
