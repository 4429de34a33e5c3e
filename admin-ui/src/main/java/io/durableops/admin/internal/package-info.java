/**
 * Not supported API: the admin UI's routes, pages and security, which may change in any release without notice.
 */
package io.durableops.admin.internal;
