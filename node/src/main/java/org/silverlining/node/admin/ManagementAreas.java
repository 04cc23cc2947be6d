package org.silverlining.node.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.backup.BackupScheduler;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.balancer.Balancer;
import org.silverlining.node.config.ConfigUploads;
import org.silverlining.node.control.AdminUsers;
import org.silverlining.node.control.AppConsole;
import org.silverlining.node.control.Backups;
import org.silverlining.node.control.ConfigView;
import org.silverlining.node.control.Jobs;
import org.silverlining.node.control.LiveApps;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.control.Releases;
import org.silverlining.node.control.SecretKeys;
import org.silverlining.node.deploy.Deployer;
import org.silverlining.node.middleware.Middlewares;
import org.silverlining.node.monitor.Monitor;
import org.silverlining.node.security.SecurityLog;
import org.silverlining.node.service.NodesetServices;
import org.silverlining.node.tls.Certificates;

/**
 * The parts of the node the management API calls, and the one list of its areas. A new area is a
 * class implementing {@link ApiArea}, added to {@link #areas()} (with what it needs here), and its
 * routes in {@code docs/api.md}; {@code AdminApiRoutesTest} checks that the document lists them.
 */
public record ManagementAreas(
    NodeStatus status,
    LiveApps liveApps,
    SecretKeys secret,
    Releases releases,
    Jobs jobs,
    ConfigView configView,
    ConfigUploads uploads,
    Deployer deployer,
    BackupService backups,
    BackupScheduler backupScheduler,
    Function<String, Path> appLog,
    Path scratch,
    Monitor monitor,
    AppConsole console,
    Certificates certificates,
    SecurityLog securityLog,
    Middlewares middlewares,
    Balancer balancer,
    AdminUsers adminUsers,
    NodesetServices nodesetServices) {

  /** The backups kept on this node, as the API and the dashboard list and take them. */
  public Backups keptBackups() {
    return new Backups(liveApps, backups, backupScheduler);
  }

  /** Every area of the management API, in the order their routes are listed. */
  public List<ApiArea> areas() {
    ConfigChanges changes = new ConfigChanges(uploads, configView);
    return List.of(
        new NodeArea(status, liveApps, secret),
        new DeployArea(deployer, changes, status),
        new ReleasesArea(releases, status),
        new ConfigArea(configView, uploads, scratch),
        new JobsArea(jobs),
        new LogsArea(status, appLog),
        new BackupArea(liveApps, backups, keptBackups(), nodesetServices),
        new MonitorArea(status, monitor),
        new ConsoleArea(console),
        new CertsArea(certificates),
        new SecurityArea(securityLog),
        new MiddlewareArea(middlewares),
        new BalancerArea(balancer, jobs),
        new ServicesArea(nodesetServices),
        new SharedDataArea(backups, nodesetServices),
        new AdminUsersArea(adminUsers));
  }
}
