"""examples/jwt in Python: httpbin accepts only valid tokens with groups=group1; /healthz stays public."""
import sys

from cdk8s import ApiObjectMetadata, App, Chart
import cdk8s_plus_28 as kplus
import cdk8s_istio as istio


def build(app: App) -> None:
    chart = Chart(app, "jwt", namespace="foo")
    kplus.Namespace(chart, "Namespace", metadata=ApiObjectMetadata(name="foo", labels={"istio-injection": "enabled"}))
    labels = {"app": "httpbin", "version": "v1"}
    httpbin = kplus.Deployment(
        chart, "httpbin",
        metadata=ApiObjectMetadata(name="httpbin"),
        select=False,
        pod_metadata=ApiObjectMetadata(labels=labels),
        containers=[kplus.ContainerProps(
            name="httpbin", image="docker.io/mccutchen/go-httpbin:v2.15.0",
            ports=[kplus.ContainerPort(number=8080, name="http")],
            security_context=kplus.ContainerSecurityContextProps(user=1000, group=1000),
        )],
    )
    httpbin.select(kplus.LabelSelector.of(labels=labels))
    kplus.Service(
        chart, "httpbin-svc",
        metadata=ApiObjectMetadata(name="httpbin"),
        selector=kplus.Pods.select(chart, "httpbin-pods", labels={"app": "httpbin"}),
        ports=[kplus.ServicePort(port=8000, target_port=8080, name="http")],
    )
    istio.JwtProtectedService(
        chart, "httpbin-jwt",
        name="httpbin",
        selector=istio.WorkloadSelector.from_workload(httpbin),
        issuers=[istio.JwtRule(
            issuer="testing@secure.istio.io",
            jwks_uri="https://raw.githubusercontent.com/istio/istio/release-1.30/security/tools/jwt/samples/jwks.json",
            output_claim_to_headers=[istio.ClaimToHeader(header="x-jwt-groups", claim="groups")],
        )],
        required_claims={"groups": ["group1"]},
        public_paths=["/healthz"],
        ports=[8080],
    )


if __name__ == "__main__":
    app = App(outdir=sys.argv[1] if len(sys.argv) > 1 else "dist")
    build(app)
    app.synth()
