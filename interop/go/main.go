// Runs the `go` client that OpenAPI Generator builds from spec/cloudcx.yaml against a live
// CloudCX simulator. interop/run.py generates the client as package `cloudcx` (GOPATH mode, with
// Debian's golang.org/x/oauth2), builds this program and passes the simulator's URLs and
// credentials in the environment. The token request goes to its own server (the Control Panel
// domain) through the operation's server setting; every user page is listed with the access
// token and with the API key, a keyword search finds a user, and a bad token is refused.
// Prints one JSON line of findings; any mismatch exits non-zero.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	cloudcx "cloudcx"
)

const tokenPath = "/oauth/token"

func setting(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fail("%s is not set", name)
	}
	return value
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func newClient() *cloudcx.APIClient {
	cfg := cloudcx.NewConfiguration()
	cfg.Servers = cloudcx.ServerConfigurations{{URL: setting("CLOUDCX_BASE_URL")}}
	tokenURL := setting("CLOUDCX_TOKEN_URL")
	if !strings.HasSuffix(tokenURL, tokenPath) {
		fail("token URL %s does not end in %s", tokenURL, tokenPath)
	}
	// The token operation has a server of its own (the Control Panel domain, with its port).
	cfg.OperationServers["AuthAPIService.RequestToken"] = cloudcx.ServerConfigurations{
		{URL: strings.TrimSuffix(tokenURL, tokenPath)},
	}
	return cloudcx.NewAPIClient(cfg)
}

func listAll(client *cloudcx.APIClient, credential string, pageSize int32, keywords string) []cloudcx.User {
	ctx := context.WithValue(context.Background(), cloudcx.ContextAccessToken, credential)
	var users []cloudcx.User
	for pageIndex := int32(1); ; pageIndex++ {
		request := client.UsersAPI.ListUsers(ctx).PageIndex(pageIndex).PageSize(pageSize)
		if keywords != "" {
			request = request.Keywords(keywords)
		}
		envelope, _, err := request.Execute()
		if err != nil {
			fail("page %d: %v", pageIndex, err)
		}
		page, ok := envelope.GetDataOk()
		if envelope.Code != "0000" || !ok || page == nil {
			fail("page %d: code %s without a page", pageIndex, envelope.Code)
		}
		if page.Number != pageIndex-1 {
			fail("page %d reported as number %d", pageIndex, page.Number)
		}
		users = append(users, page.Content...)
		if pageIndex >= page.TotalPages {
			if int64(len(users)) != page.TotalElements {
				fail("pages add up to %d users, not %d", len(users), page.TotalElements)
			}
			return users
		}
	}
}

func main() {
	client := newClient()
	token, _, err := client.AuthAPI.RequestToken(context.Background()).
		GrantType(cloudcx.PASSWORD).
		ClientId(setting("CLOUDCX_CLIENT_ID")).
		ClientSecret(setting("CLOUDCX_CLIENT_SECRET")).
		Username(setting("CLOUDCX_USERNAME")).
		Password(setting("CLOUDCX_PASSWORD")).
		Execute()
	if err != nil {
		fail("token request: %v", err)
	}
	if !strings.EqualFold(token.TokenType, "bearer") {
		fail("token type %s", token.TokenType)
	}
	users := listAll(client, token.AccessToken, 25, "")
	byKey := listAll(client, setting("CLOUDCX_API_KEY"), 100, "")
	if len(byKey) != len(users) {
		fail("the API key sees %d users, the token %d", len(byKey), len(users))
	}
	probe := users[0]
	found := listAll(client, token.AccessToken, 10, probe.LoginCode)
	hit := false
	for _, user := range found {
		hit = hit || user.Id == probe.Id
	}
	if !hit {
		fail("searching %s does not find that user", probe.LoginCode)
	}
	refusedStatus := 0
	badCtx := context.WithValue(context.Background(), cloudcx.ContextAccessToken, "not-a-token")
	_, response, err := client.UsersAPI.ListUsers(badCtx).PageIndex(1).Execute()
	if err == nil {
		fail("a bad token was accepted")
	}
	if response != nil {
		refusedStatus = response.StatusCode
	}
	report, _ := json.Marshal(map[string]interface{}{
		"tokenType":     token.TokenType,
		"expiresIn":     token.ExpiresIn,
		"users":         len(users),
		"searchHits":    len(found),
		"refusedStatus": refusedStatus,
	})
	fmt.Println(string(report))
}
