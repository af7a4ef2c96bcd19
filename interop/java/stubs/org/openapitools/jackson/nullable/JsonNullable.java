// Stand-in for jackson-databind-nullable's JsonNullable (not packaged by Debian): a value that is
// absent (undefined), present and null, or present with a value.
package org.openapitools.jackson.nullable;

import java.util.NoSuchElementException;
import java.util.Objects;

public final class JsonNullable<T> {
    private static final JsonNullable<?> UNDEFINED = new JsonNullable<>(null, false);

    private final T value;
    private final boolean present;

    private JsonNullable(T value, boolean present) {
        this.value = value;
        this.present = present;
    }

    @SuppressWarnings("unchecked")
    public static <T> JsonNullable<T> undefined() {
        return (JsonNullable<T>) UNDEFINED;
    }

    public static <T> JsonNullable<T> of(T value) {
        return new JsonNullable<>(value, true);
    }

    public T get() {
        if (!present) {
            throw new NoSuchElementException("value is undefined");
        }
        return value;
    }

    public T orElse(T other) {
        return present ? value : other;
    }

    public boolean isPresent() {
        return present;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof JsonNullable)) {
            return false;
        }
        JsonNullable<?> that = (JsonNullable<?>) other;
        return present == that.present && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, present);
    }

    @Override
    public String toString() {
        return present ? "JsonNullable[" + value + "]" : "JsonNullable.undefined";
    }
}
