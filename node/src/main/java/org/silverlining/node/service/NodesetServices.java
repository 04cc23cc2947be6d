package org.silverlining.node.service;

/**
 * A node's parts in a nodeset's shared services: as an app server, the services another node
 * provides for its apps ({@link SharedServices}); as the services node, provisioning for app
 * servers elsewhere ({@link ServiceProvider}) and what a streaming replica of its PostgreSQL needs
 * ({@link PostgresReplication}).
 */
public record NodesetServices(
    SharedServices shared, ServiceProvider provider, PostgresReplication replication) {}
