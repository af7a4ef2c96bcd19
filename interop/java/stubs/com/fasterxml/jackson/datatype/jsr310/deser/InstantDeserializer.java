// Stand-in for jackson-datatype-jsr310's InstantDeserializer (not packaged by Debian): the
// constructor and hooks the generated RFC3339InstantDeserializer uses, parsing ISO strings only.
package com.fasterxml.jackson.datatype.jsr310.deser;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.util.function.BiFunction;
import java.util.function.Function;

public class InstantDeserializer<T extends Temporal> extends StdDeserializer<T> {
    private static final long serialVersionUID = 1L;

    public static class FromIntegerArguments {
        public long value;
        public ZoneId zoneId;
    }

    public static class FromDecimalArguments {
        public long integer;
        public int fraction;
        public ZoneId zoneId;
    }

    private final transient DateTimeFormatter formatter;
    private final transient Function<TemporalAccessor, T> parsedToValue;

    protected InstantDeserializer(
            Class<T> supportedType,
            DateTimeFormatter formatter,
            Function<TemporalAccessor, T> parsedToValue,
            Function<FromIntegerArguments, T> fromMilliseconds,
            Function<FromDecimalArguments, T> fromNanoseconds,
            BiFunction<T, ZoneId, T> adjust,
            boolean replaceZeroOffsetAsZ,
            boolean normalizeZoneId,
            boolean readNumericStringsAsTimestamp) {
        super(supportedType);
        this.formatter = formatter;
        this.parsedToValue = parsedToValue;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return _fromString(p, ctxt, p.getValueAsString());
    }

    protected T _fromString(JsonParser p, DeserializationContext ctxt, String string0)
            throws IOException {
        return parsedToValue.apply(formatter.parse(string0.trim()));
    }
}
