package dev.spillway.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields a Kubernetes model object did not know: fabric8's types keep any unknown field in
 * {@code additionalProperties} instead of failing, so a misspelt key ({@code readinesProbe}) would
 * otherwise pass. Walks the object's getters; stateless.
 */
final class KnownFields {
    private KnownFields() {
    }

    /** Paths like {@code spec.template.spec.containers[0].readinesProbe}, empty when all are known. */
    static List<String> unknown(Object model) {
        List<String> out = new ArrayList<>();
        walk(model, "", out);
        return out;
    }

    private static void walk(Object o, String path, List<String> out) {
        if (o == null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) walk(item, path + "[" + i++ + "]", out);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, out));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) return;
        for (Method get : o.getClass().getMethods()) {
            if (get.getParameterCount() != 0 || Modifier.isStatic(get.getModifiers()) || !get.getName().startsWith("get")
                    || get.getDeclaringClass() == Object.class) continue;
            Object value;
            try {
                value = get.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String name = Character.toLowerCase(get.getName().charAt(3)) + get.getName().substring(4);
            if (name.equals("additionalProperties")) {
                if (value instanceof Map<?, ?> extra) extra.keySet().forEach(k -> out.add(path.isEmpty() ? "" + k : path + "." + k));
            } else {
                walk(value, path.isEmpty() ? name : path + "." + name, out);
            }
        }
    }
}
