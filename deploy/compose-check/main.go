// compose-check loads compose.yaml with compose-go, the loader of `docker compose` itself: schema
// validation, interpolation, anchors and merges, profiles, depends_on. No Docker engine needed.
//
//	go run ./deploy/compose-check compose.yaml replicaset embedded
//
// Each profile is loaded on its own (with placeholder values for the required variables) and its
// services are printed, so a service missing from a profile shows.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: compose-check FILE PROFILE...")
		os.Exit(2)
	}
	file := os.Args[1]
	// What .env would hold: the loader refuses to interpolate ${VAR:?} without them.
	env := []string{
		"SITE_ADDRESS=report.example.gov.ua",
		"SESSION_SECRET=" + hex32, "RECEIPT_PEPPER=" + hex32, "DATA_KEY=" + hex32,
	}
	for _, profile := range os.Args[2:] {
		opts, err := cli.NewProjectOptions([]string{file},
			cli.WithEnv(env), cli.WithProfiles([]string{profile}), cli.WithName("whistle-portal"))
		if err != nil {
			fail(err)
		}
		project, err := opts.LoadProject(context.Background())
		if err != nil {
			fail(fmt.Errorf("profile %s: %w", profile, err))
		}
		names := make([]string, 0, len(project.Services))
		for name := range project.Services {
			names = append(names, name)
		}
		sort.Strings(names)
		fmt.Printf("profile %s: %v\n", profile, names)
	}
}

const hex32 = "0000000000000000000000000000000000000000000000000000000000000000"

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
