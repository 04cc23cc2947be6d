/**
 * Why the node refuses a request, as exception types that know nothing of HTTP: the parts of the
 * node throw them, and each API maps them to status codes in one place ({@code api.ApiErrors}).
 */
package org.silverlining.node.errors;
