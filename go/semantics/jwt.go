package semantics

// Envoy's jwt_authn filter (envoy.extensions.filters.http.jwt_authn.v3): the
// first rule whose route match fits decides the requirement; a present token
// must verify against a provider of its issuer (signature, exp, nbf, audiences);
// the verified payload lands in dynamic metadata where RBAC matches it.

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	jwtauthn "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/jwt_authn/v3"
	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
)

const jwtFilter = "envoy.filters.http.jwt_authn"

// TestIssuerKeys is the issuer the harness plays: offline no jwksUri can be fetched, so the
// harness points every jwksUri at a local server publishing this key set (ServeJwks) and
// signs the tokens of expectations with it. istiod fetches and inlines it as it would the real one.
type TestIssuerKeys struct {
	private *rsa.PrivateKey
	other   *rsa.PrivateKey // signs tokens that must fail verification
	JWKS    jose.JSONWebKeySet
}

// NewTestIssuerKeys makes a fresh RSA key pair per run.
func NewTestIssuerKeys() (*TestIssuerKeys, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	o, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	return &TestIssuerKeys{private: k, other: o, JWKS: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &k.PublicKey, KeyID: "cdk8s-istio-test", Algorithm: string(jose.RS256), Use: "sig"},
	}}}, nil
}

// Sign issues a token with the given claims; forged tokens are signed by a key no JWKS holds.
func (k *TestIssuerKeys) Sign(claims map[string]any, forged bool) (string, error) {
	key := k.private
	if forged {
		key = k.other
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "cdk8s-istio-test"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	c := map[string]any{"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}
	for n, v := range claims {
		c[n] = v
	}
	return josejwt.Signed(sig).Claims(c).Serialize()
}

// JwtResult is jwt_authn's verdict: Status 401 when a requirement fails.
type JwtResult struct {
	Status int
	Reason string
}

// EvalJwtAuthn applies the filter config to the request, writing verified payloads to r.Metadata.
func EvalJwtAuthn(cfg *jwtauthn.JwtAuthentication, r *Request) (JwtResult, error) {
	if len(cfg.RequirementMap) > 0 || cfg.FilterStateRules != nil {
		return JwtResult{}, fmt.Errorf("jwt_authn requirement_map/filter_state_rules are not simulated")
	}
	for _, rule := range cfg.Rules {
		ok, err := MatchRoute(rule.Match, r)
		if err != nil {
			return JwtResult{}, err
		}
		if !ok {
			continue
		}
		if rule.GetRequirementName() != "" {
			return JwtResult{}, fmt.Errorf("jwt_authn requirement names are not simulated")
		}
		if rule.GetRequires() == nil {
			return JwtResult{Status: 200}, nil
		}
		ok, reason, err := satisfies(cfg, rule.GetRequires(), r)
		if err != nil {
			return JwtResult{}, err
		}
		if !ok {
			return JwtResult{Status: 401, Reason: reason}, nil
		}
		return JwtResult{Status: 200}, nil
	}
	return JwtResult{Status: 200}, nil
}

func satisfies(cfg *jwtauthn.JwtAuthentication, req *jwtauthn.JwtRequirement, r *Request) (bool, string, error) {
	switch x := req.RequiresType.(type) {
	case *jwtauthn.JwtRequirement_ProviderName:
		p := cfg.Providers[x.ProviderName]
		if p == nil {
			return false, "", fmt.Errorf("jwt requirement names unknown provider %q", x.ProviderName)
		}
		tok := extractToken(p, r)
		if tok == "" {
			return false, "Jwt is missing", nil
		}
		return verify(p, tok, r)
	case *jwtauthn.JwtRequirement_AllowMissing:
		// Missing is fine; a token that is there must still verify with its issuer's provider.
		for _, p := range cfg.Providers {
			if tok := extractToken(p, r); tok != "" {
				if iss := unverifiedIssuer(tok); iss != "" && iss == p.Issuer {
					return verify(p, tok, r)
				}
			}
		}
		if anyToken(cfg, r) {
			return false, "Jwt issuer is not configured", nil
		}
		return true, "", nil
	case *jwtauthn.JwtRequirement_AllowMissingOrFailed:
		return true, "", nil
	case *jwtauthn.JwtRequirement_RequiresAny:
		reason := ""
		for _, sub := range x.RequiresAny.Requirements {
			ok, why, err := satisfies(cfg, sub, r)
			if err != nil || ok {
				return ok, why, err
			}
			if reason == "" || why != "Jwt is missing" {
				reason = why
			}
		}
		return false, reason, nil
	case *jwtauthn.JwtRequirement_RequiresAll:
		for _, sub := range x.RequiresAll.Requirements {
			ok, why, err := satisfies(cfg, sub, r)
			if err != nil || !ok {
				return ok, why, err
			}
		}
		return true, "", nil
	}
	return false, "", fmt.Errorf("unsupported jwt requirement %T", req.RequiresType)
}

func anyToken(cfg *jwtauthn.JwtAuthentication, r *Request) bool {
	for _, p := range cfg.Providers {
		if extractToken(p, r) != "" {
			return true
		}
	}
	return false
}

// extractToken reads the provider's token locations (default: Authorization Bearer, access_token).
func extractToken(p *jwtauthn.JwtProvider, r *Request) string {
	if len(p.FromHeaders) == 0 && len(p.FromParams) == 0 && len(p.FromCookies) == 0 {
		if v, ok := r.Header("authorization"); ok && strings.HasPrefix(v, "Bearer ") {
			return strings.TrimPrefix(v, "Bearer ")
		}
		return r.query().Get("access_token")
	}
	for _, h := range p.FromHeaders {
		if v, ok := r.Header(h.Name); ok && strings.HasPrefix(v, h.ValuePrefix) {
			return strings.TrimPrefix(v, h.ValuePrefix)
		}
	}
	for _, q := range p.FromParams {
		if v := r.query().Get(q); v != "" {
			return v
		}
	}
	return ""
}

func unverifiedIssuer(tok string) string {
	t, err := josejwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256, jose.ES256})
	if err != nil {
		return ""
	}
	var c josejwt.Claims
	if err := t.UnsafeClaimsWithoutVerification(&c); err != nil {
		return ""
	}
	return c.Issuer
}

// verify follows Envoy's authenticator: issuer, time (nbf, exp), audiences, then the
// signature against the provider's inline keys (istiod fetches the jwksUri and inlines it).
func verify(p *jwtauthn.JwtProvider, tok string, r *Request) (bool, string, error) {
	t, err := josejwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256, jose.ES256})
	if err != nil {
		return false, "Jwt is not in the form of Header.Payload.Signature", nil
	}
	var std josejwt.Claims
	var payload map[string]any
	if err := t.UnsafeClaimsWithoutVerification(&std, &payload); err != nil {
		return false, "Jwt payload is not valid JSON", nil
	}
	if p.Issuer != "" && std.Issuer != p.Issuer {
		return false, "Jwt issuer is not configured", nil
	}
	now := time.Now()
	if std.NotBefore != nil && now.Add(60*time.Second).Before(std.NotBefore.Time()) {
		return false, "Jwt not yet valid", nil
	}
	if std.Expiry != nil && now.Add(-60*time.Second).After(std.Expiry.Time()) {
		return false, "Jwt is expired", nil
	}
	if len(p.Audiences) > 0 {
		ok := false
		for _, a := range p.Audiences {
			ok = ok || std.Audience.Contains(a)
		}
		if !ok {
			return false, "Audiences in Jwt are not allowed", nil
		}
	}
	if p.GetRemoteJwks() != nil {
		return false, "", fmt.Errorf("provider %s fetches its JWKS from Envoy (remote_jwks), which is not simulated", p.Issuer)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(p.GetLocalJwks().GetInlineString()), &set); err != nil {
		return false, "Jwks doesn't have valid format", nil
	}
	verified := false
	for _, k := range set.Keys {
		var checked map[string]any
		if t.Claims(k.Key, &checked) == nil {
			verified = true
			break
		}
	}
	if !verified {
		return false, "Jwt verification fails", nil
	}
	if !p.Forward {
		// Envoy strips a verified token unless the provider forwards it (Istio: forwardOriginalToken).
		delete(r.Headers, "authorization")
	}
	if p.PayloadInMetadata != "" {
		for _, c := range p.GetNormalizePayloadInMetadata().GetSpaceDelimitedClaims() {
			if s, ok := payload[c].(string); ok {
				var l []any
				for _, f := range strings.Fields(s) {
					l = append(l, f)
				}
				payload[c] = l
			}
		}
		if r.Metadata == nil {
			r.Metadata = map[string]map[string]any{}
		}
		if r.Metadata[jwtFilter] == nil {
			r.Metadata[jwtFilter] = map[string]any{}
		}
		r.Metadata[jwtFilter][p.PayloadInMetadata] = payload
	}
	return true, "", nil
}

// ServeJwks publishes the key set on a local HTTP server; istiod fetches it for every jwksUri
// the fixture points there. Stop it with the returned function.
func (k *TestIssuerKeys) ServeJwks() (url string, stop func(), err error) {
	body, err := json.Marshal(k.JWKS)
	if err != nil {
		return "", nil, err
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	return srv.URL + "/jwks.json", srv.Close, nil
}
