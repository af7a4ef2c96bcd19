// Stand-in for jackson-datatype-jsr310's module, which Debian does not package. The CloudCX spec
// has no date or time fields, so the generated Java client needs the type, not its behaviour.
package com.fasterxml.jackson.datatype.jsr310;

import com.fasterxml.jackson.databind.module.SimpleModule;

public class JavaTimeModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public JavaTimeModule() {
        super("JavaTimeModule (interop stand-in)");
    }
}
