// Stand-in for jackson-databind-nullable's module (not packaged by Debian): reads a JSON value
// into JsonNullable as its natural Java type (the spec's nullable fields are strings), JSON null
// as a present null, and writes JsonNullable back as its value.
package org.openapitools.jackson.nullable;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

public class JsonNullableModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings({"rawtypes", "unchecked"})
    public JsonNullableModule() {
        super("JsonNullableModule (interop stand-in)");
        addDeserializer(JsonNullable.class, new StdDeserializer<JsonNullable>(JsonNullable.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public JsonNullable deserialize(JsonParser p, DeserializationContext ctxt)
                    throws IOException {
                return JsonNullable.of(p.readValueAs(Object.class));
            }

            @Override
            public JsonNullable getNullValue(DeserializationContext ctxt) {
                return JsonNullable.of(null);
            }
        });
        addSerializer(JsonNullable.class, new StdSerializer<JsonNullable>(JsonNullable.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(JsonNullable value, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                provider.defaultSerializeValue(value.orElse(null), gen);
            }
        });
    }
}
