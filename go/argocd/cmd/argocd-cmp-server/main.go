// Command argocd-cmp-server is Argo CD's config-management-plugin server: the command Argo CD's
// own binary runs when it is invoked by that name (cmd/main.go), built alone so that the tests
// need not build every Argo CD component.
package main

import (
	"os"

	"github.com/argoproj/argo-cd/v3/cmd/argocd-cmp-server/commands"
	"github.com/argoproj/argo-cd/v3/util/log"
	"k8s.io/klog/v2"
)

func main() {
	// As Argo CD's main does: klog through logrus. (Its gRPC SRV workaround is left out: the gRPC
	// this module resolves already has SRV lookups off, and the plugin listens on a unix socket.)
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
	command := commands.NewCommand()
	command.SilenceErrors = true
	command.SilenceUsage = true
	if err := command.Execute(); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
