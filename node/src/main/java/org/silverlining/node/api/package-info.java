/**
 * JSON over HTTP, shared by the node's APIs: routes grouped in {@link
 * org.silverlining.node.api.ApiArea areas}, typed parameters read into records ({@link
 * org.silverlining.node.api.ApiCall#params}), and the one mapping of refusals to status codes
 * ({@link org.silverlining.node.api.ApiErrors}).
 */
package org.silverlining.node.api;
