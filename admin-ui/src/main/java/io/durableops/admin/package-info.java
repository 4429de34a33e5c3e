/**
 * The operator web UI and its JSON API (Javalin): {@link io.durableops.admin.AdminUi} mounts it in an application or
 * runs it alone; users, roles and sign-in are configured on its builder (see docs/admin-ui.md).
 */
package io.durableops.admin;
