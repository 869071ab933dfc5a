"""examples/canary-rollout in Python: a staged canary of reviews v3 (test/python compares the YAML byte for byte)."""
import sys

from cdk8s import App, Chart, Duration
import cdk8s_istio as istio

from bookinfo_app import add_bookinfo


def build(app: App) -> None:
    chart = Chart(app, "bookinfo", namespace="bookinfo")
    services, deployments = add_bookinfo(chart, "bookinfo")
    release = istio.CanaryRelease(
        chart, "reviews",
        service=istio.ServiceReference.from_service(services["reviews"]),
        stable=istio.CanaryVersion.from_workload(deployments["reviews-v1"]),
        canary=istio.CanaryVersion.from_workload(deployments["reviews-v3"]),
        steps=[5, 25, 50, 100],
        current_step=1,
        sticky_cookie="reviews-canary",
        mirror_percentage=10,
        timeout=Duration.seconds(5),
        retries=istio.HttpRetry(attempts=2, per_try_timeout=Duration.seconds(2)),
        traffic_policy=istio.TrafficPolicy(outlier_detection=istio.OutlierDetection(
            consecutive5xx_errors=5, interval=Duration.seconds(10), base_ejection_time=Duration.seconds(30))),
    )
    istio.CanaryAlerts(chart, "reviews-alerts", release=release, max_success_rate_drop=2, max_latency_ratio=1.3)


if __name__ == "__main__":
    app = App(outdir=sys.argv[1] if len(sys.argv) > 1 else "dist")
    build(app)
    app.synth()
