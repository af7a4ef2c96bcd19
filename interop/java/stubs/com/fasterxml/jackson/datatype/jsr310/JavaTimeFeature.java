// Stand-in for jackson-datatype-jsr310's feature flags (not packaged by Debian).
package com.fasterxml.jackson.datatype.jsr310;

public enum JavaTimeFeature {
    NORMALIZE_DESERIALIZED_ZONE_ID(true),
    ALWAYS_ALLOW_STRINGIFIED_DATE_TIMESTAMPS(false);

    private final boolean enabledByDefault;

    JavaTimeFeature(boolean enabledByDefault) {
        this.enabledByDefault = enabledByDefault;
    }

    public boolean enabledByDefault() {
        return enabledByDefault;
    }
}
