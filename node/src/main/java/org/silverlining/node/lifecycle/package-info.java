/**
 * What passes between the node's parts at start and on each change of what is deployed: the front's
 * routes republished from the state store, the reconciliation a start does before serving, and the
 * variables the node gives each instance. {@code Node} constructs these and connects them.
 */
package org.silverlining.node.lifecycle;
