package io.durableops.core.internal.store;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.util.OptionalInt;

/**
 * The most connections a pooled {@link DataSource} hands out, where the pool says: HikariCP, Apache DBCP 2, Tomcat
 * JDBC and c3p0 name it by a getter, read here without depending on any of them. A proxy that exposes its target
 * ({@code getTargetDataSource()}, Spring's) is looked through.
 */
public final class PoolSize {
    private static final String[] GETTERS = {"getMaximumPoolSize", "getMaxTotal", "getMaxActive", "getMaxPoolSize"};

    private PoolSize() {
    }

    public static OptionalInt of(DataSource dataSource) {
        Object target = dataSource;
        for (int depth = 0; target != null && depth < 4; depth++) {
            for (String getter : GETTERS) {
                Object size = call(target, getter);
                if (size instanceof Integer n && n > 0) return OptionalInt.of(n);
            }
            target = call(target, "getTargetDataSource");
        }
        return OptionalInt.empty();
    }

    private static Object call(Object target, String name) {
        try {
            Method method = target.getClass().getMethod(name);
            return method.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
