"""The machinery behind the API's resources.

The resource classes themselves are generated from the spec (`cloudcx_openapi.resources`,
`make generate`); `_runner` is what every generated method runs.
"""

__all__: list[str] = []
