package io.durableops.core.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;

import java.io.IOException;
import java.util.List;

/**
 * Values that are not data and are refused when a user stores them (input, globals, arguments, results, payloads):
 * threads, class loaders, classes and reflection objects, open resources (streams, connections: anything
 * {@link AutoCloseable}), executors and futures, exceptions, and lambdas. why: Jackson writes a {@link Thread} as a
 * 35 KB dump of its getters and a lambda as {@code {}}, and either would be stored and come back as something else.
 * Beans without properties are refused too ({@link SerializationFeature#FAIL_ON_EMPTY_BEANS}).
 */
final class NotData {
    private static final List<Class<?>> REFUSED = List.of(Thread.class, ThreadGroup.class, ClassLoader.class, Class.class,
            java.lang.reflect.Member.class, java.lang.reflect.Parameter.class, AutoCloseable.class, java.util.concurrent.Executor.class,
            java.util.concurrent.Future.class, java.util.concurrent.CompletionStage.class, Throwable.class);

    private NotData() {
    }

    /** A copy of {@code mapper} that refuses what is not data. */
    static ObjectMapper refusedBy(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("durable-ops-not-data") {
            @Override
            public void setupModule(SetupContext context) {
                context.addSerializers(new Serializers.Base() {
                    @Override
                    public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription description) {
                        return refusal(type.getRawClass());
                    }
                });
            }
        };
        return mapper.copy().registerModule(module).enable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    private static JsonSerializer<?> refusal(Class<?> type) {
        String why = null;
        if (type.isSynthetic() || type.getName().contains("$$Lambda")) why = "a lambda or other synthetic class";
        for (Class<?> refused : REFUSED) {
            if (why == null && refused.isAssignableFrom(type)) why = "a " + refused.getSimpleName();
        }
        if (why == null) return null;
        String reason = type.getName() + " is " + why + ", not data: store plain values, collections, records or beans instead";
        return new JsonSerializer<Object>() {
            @Override
            public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                throw JsonMappingException.from(generator, reason);
            }
        };
    }
}
