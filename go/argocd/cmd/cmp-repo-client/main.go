// Command cmp-repo-client asks config-management-plugin servers for an app's manifests the way
// Argo CD's repo server does (reposerver/repository: runConfigManagementPluginSidecars), with
// Argo CD's own discovery and stream code. Plugin sockets are found in $ARGOCD_PLUGINSOCKFILEPATH.
//
//	cmp-repo-client -repo <checkout> -app <path in it> [-plugin <name>-<version>] [-discover-only]
//
// It prints the app's source type (discovery), then each manifest as one JSON line; a plugin's
// error is printed as the repo server reports it, with exit status 1.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/argoproj/argo-cd/gitops-engine/pkg/utils/kube"
	"github.com/argoproj/argo-cd/v3/cmpserver/apiclient"
	"github.com/argoproj/argo-cd/v3/util/app/discovery"
	"github.com/argoproj/argo-cd/v3/util/cmp"
	utilio "github.com/argoproj/argo-cd/v3/util/io"
	grpc_retry "github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/retry"
	"google.golang.org/protobuf/types/known/emptypb"
)

func main() {
	repo := flag.String("repo", "", "the checkout the repo server hands the plugin")
	app := flag.String("app", ".", "the Application's source path inside the checkout")
	plugin := flag.String("plugin", "", "the Application's spec.source.plugin.name (empty: discovery)")
	discoverOnly := flag.Bool("discover-only", false, "stop after discovery")
	timeout := flag.Duration("timeout", 60*time.Second, "the repo server's deadline for one render (Argo CD's default: 60s)")
	flag.Parse()
	if *repo == "" {
		fail("-repo is required")
	}
	repoPath, err := filepath.Abs(*repo)
	if err != nil {
		fail(err.Error())
	}
	appPath := filepath.Join(repoPath, *app)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	// What the repo server sets for every plugin (newEnv), and for generate also the cluster's
	// versions (getPluginEnvs).
	revision := "0123456789abcdef0123456789abcdef01234567"
	env := []string{
		"ARGOCD_APP_NAME=mesh", "ARGOCD_APP_NAMESPACE=argocd", "ARGOCD_APP_PROJECT_NAME=default",
		"ARGOCD_APP_REVISION=" + revision, "ARGOCD_APP_REVISION_SHORT=" + revision[:7], "ARGOCD_APP_REVISION_SHORT_8=" + revision[:8],
		"ARGOCD_APP_SOURCE_PATH=" + *app, "ARGOCD_APP_SOURCE_REPO_URL=https://git.example.com/platform/mesh.git",
		"ARGOCD_APP_SOURCE_TARGET_REVISION=HEAD",
	}
	generateEnv := append(env[:len(env):len(env)], "KUBE_VERSION=1.34.0", "KUBE_API_VERSIONS=v1,apps/v1,networking.istio.io/v1,security.istio.io/v1")

	if *plugin == "" {
		// The repo server's source-type detection: a plugin whose discovery matches wins.
		appType, err := discovery.AppType(ctx, appPath, repoPath, map[string]bool{}, nil, env)
		if err != nil {
			fail("discovery: " + err.Error())
		}
		fmt.Println(appType)
	}
	if *discoverOnly {
		return
	}
	conn, client, err := discovery.DetectConfigManagementPlugin(ctx, appPath, repoPath, *plugin, generateEnv, nil)
	if err != nil {
		fail(err.Error())
	}
	defer utilio.Close(conn)
	if _, err := client.CheckPluginConfiguration(ctx, &emptypb.Empty{}); err != nil {
		fail("error calling cmp-server checkPluginConfiguration: " + err.Error())
	}
	stream, err := client.GenerateManifest(ctx, grpc_retry.Disable())
	if err != nil {
		fail("error getting generateManifestStream: " + err.Error())
	}
	if err := cmp.SendRepoStream(ctx, appPath, repoPath, stream, generateEnv, nil); err != nil {
		fail("error sending file to cmp-server: " + err.Error())
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		fail("error generating manifests in cmp: " + err.Error())
	}
	print(resp)
}

// print writes each manifest as the repo server reads it (kube.SplitYAML), one JSON object per line.
func print(resp *apiclient.ManifestResponse) {
	for _, manifest := range resp.Manifests {
		objects, err := kube.SplitYAML([]byte(manifest))
		if err != nil {
			fail("failed to convert CMP manifests to unstructured objects: " + err.Error())
		}
		for _, o := range objects {
			line, err := json.Marshal(o.Object)
			if err != nil {
				fail(err.Error())
			}
			fmt.Println(string(line))
		}
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(1)
}
