// Runs the `java` (native library) client that OpenAPI Generator builds from spec/cloudcx.yaml
// against a live CloudCX simulator. interop/run.py compiles it with the client against Debian's
// Jackson, jsr305, javax.annotation and Apache httpclient jars, and against interop/java/stubs
// (small stand-ins for jackson-datatype-jsr310 and jackson-databind-nullable, which Debian does
// not package). The token request goes to its own host (the Control Panel domain) through an
// ApiClient of its own; every user page is listed with the access token and with the API key, a
// keyword search finds a user, and a bad token is refused. Prints one JSON line of findings.

import java.util.ArrayList;
import java.util.List;
import org.openapitools.client.ApiClient;
import org.openapitools.client.ApiException;
import org.openapitools.client.api.AuthApi;
import org.openapitools.client.api.UsersApi;
import org.openapitools.client.model.GrantType;
import org.openapitools.client.model.TokenResponse;
import org.openapitools.client.model.User;
import org.openapitools.client.model.UserPage;
import org.openapitools.client.model.UserPageEnvelope;

public final class ListUsers {
    private static final String TOKEN_PATH = "/oauth/token";

    private ListUsers() {}

    private static String setting(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static UsersApi usersApi(String credential) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(setting("CLOUDCX_BASE_URL"));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + credential));
        return new UsersApi(client);
    }

    private static List<User> listAll(UsersApi api, int pageSize, String keywords) throws ApiException {
        List<User> users = new ArrayList<>();
        for (int pageIndex = 1; ; pageIndex++) {
            UserPageEnvelope envelope = api.listUsers(pageIndex, pageSize, keywords);
            check("0000".equals(envelope.getCode()), "page " + pageIndex + ": " + envelope.getMessage());
            UserPage page = envelope.getData();
            check(page != null && page.getNumber() == pageIndex - 1, "page " + pageIndex + " numbered wrongly");
            check(page.getNumberOfElements() == page.getContent().size(), "numberOfElements");
            users.addAll(page.getContent());
            if (pageIndex >= page.getTotalPages()) {
                check(users.size() == page.getTotalElements(), "pages add up to totalElements");
                return users;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String tokenUrl = setting("CLOUDCX_TOKEN_URL");
        check(tokenUrl.endsWith(TOKEN_PATH), "token URL " + tokenUrl + " does not end in " + TOKEN_PATH);
        // The token operation has a server of its own: point an ApiClient at the Control Panel.
        ApiClient controlPanel = new ApiClient();
        controlPanel.updateBaseUri(tokenUrl.substring(0, tokenUrl.length() - TOKEN_PATH.length()));
        TokenResponse token = new AuthApi(controlPanel).requestToken(
                GrantType.PASSWORD,
                setting("CLOUDCX_CLIENT_ID"),
                setting("CLOUDCX_CLIENT_SECRET"),
                setting("CLOUDCX_USERNAME"),
                setting("CLOUDCX_PASSWORD"),
                null,
                null);
        check("bearer".equalsIgnoreCase(token.getTokenType()), "token type " + token.getTokenType());
        List<User> users = listAll(usersApi(token.getAccessToken()), 25, null);
        List<User> byKey = listAll(usersApi(setting("CLOUDCX_API_KEY")), 100, null);
        check(byKey.size() == users.size(), "the API key sees another directory");
        User probe = users.get(0);
        List<User> found = listAll(usersApi(token.getAccessToken()), 10, probe.getLoginCode());
        check(found.stream().anyMatch(user -> user.getId().equals(probe.getId())), "search misses the user");
        int refusedStatus = 0;
        try {
            usersApi("not-a-token").listUsers(1, null, null);
        } catch (ApiException error) {
            refusedStatus = error.getCode();
        }
        System.out.printf(
                "{\"tokenType\": \"%s\", \"expiresIn\": %s, \"users\": %d, \"searchHits\": %d, \"refusedStatus\": %d}%n",
                token.getTokenType(), token.getExpiresIn(), users.size(), found.size(), refusedStatus);
    }
}
