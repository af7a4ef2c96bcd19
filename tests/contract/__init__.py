"""Third-party checks of the spec: Prism, schemathesis, and clients generated in TypeScript."""
