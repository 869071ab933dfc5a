"""The workloads of Istio's Bookinfo sample, as examples/bookinfo-app.ts builds them."""
from cdk8s import ApiObjectMetadata, Chart
import cdk8s_plus_28 as kplus

VERSIONS = {"productpage": ["v1"], "details": ["v1"], "ratings": ["v1"], "reviews": ["v1", "v2", "v3"]}


def add_bookinfo(chart: Chart, namespace: str):
    """An injected namespace, one Deployment per version (labels app and version), one Service per app."""
    kplus.Namespace(chart, "Namespace", metadata=ApiObjectMetadata(name=namespace, labels={"istio-injection": "enabled"}))
    services, deployments = {}, {}
    for app, versions in VERSIONS.items():
        account = kplus.ServiceAccount(chart, f"{app}-sa", metadata=ApiObjectMetadata(name=f"bookinfo-{app}"))
        for version in versions:
            labels = {"app": app, "version": version}
            deployment = kplus.Deployment(
                chart, f"{app}-{version}",
                metadata=ApiObjectMetadata(name=f"{app}-{version}", labels=labels),
                replicas=1,
                select=False,
                service_account=account,
                pod_metadata=ApiObjectMetadata(labels=labels),
                containers=[kplus.ContainerProps(
                    name=app,
                    image=f"docker.io/istio/examples-bookinfo-{app}-{version}:1.20.3",
                    ports=[kplus.ContainerPort(number=9080, name="http")],
                    security_context=kplus.ContainerSecurityContextProps(user=1000, group=1000),
                )],
            )
            deployment.select(kplus.LabelSelector.of(labels=labels))
            deployments[f"{app}-{version}"] = deployment
        services[app] = kplus.Service(
            chart, f"{app}-svc",
            metadata=ApiObjectMetadata(name=app, labels={"app": app, "service": app}),
            selector=kplus.Pods.select(chart, f"{app}-pods", labels={"app": app}),
            ports=[kplus.ServicePort(port=9080, target_port=9080, name="http")],
        )
    return services, deployments
