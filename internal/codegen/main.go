// Package main is the generator behind `go generate ./...`: it applies the
// shared gqlgen settings in gqlgen.yml to one subgraph's schema, merges the
// subgraph's own model bindings, and runs gqlgen so that graph/<name>/ holds
// the generated code and resolvers/<name>/ the hand-written resolvers.
// The benchmark subgraphs use the same layout under bench/ (-root bench), so
// generated code is fenced the same way wherever it lives.
//
//	go run ./internal/codegen -subgraph catalog
//	go run ./internal/codegen -root bench -subgraph accounts
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"
	"gopkg.in/yaml.v3"
)

const modulePath = "github.com/cinegraph/cinegraph"

func main() {
	subgraph := flag.String("subgraph", "", "subgraph to generate (catalog, video, chat, insights)")
	root := flag.String("root", ".", "directory, relative to the module root, holding schema/, graph/ and resolvers/")
	flag.Parse()
	if err := run(*root, *subgraph); err != nil {
		fmt.Fprintln(os.Stderr, "codegen:", err)
		os.Exit(1)
	}
}

func run(layoutRoot, subgraph string) error {
	if subgraph == "" {
		return errors.New("-subgraph is required")
	}
	if filepath.IsAbs(layoutRoot) || !filepath.IsLocal(layoutRoot) {
		return fmt.Errorf("-root %q must be a directory inside the module", layoutRoot)
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	settings, err := subgraphSettings(layoutRoot, subgraph)
	if err != nil {
		return err
	}
	out, err := yaml.Marshal(settings)
	if err != nil {
		return fmt.Errorf("encode gqlgen config: %w", err)
	}
	cfg, err := config.ReadConfig(bytes.NewReader(out))
	if err != nil {
		return fmt.Errorf("gqlgen config for %s: %w", subgraph, err)
	}
	log.SetOutput(quietEntityNotes{os.Stderr})
	if err := api.Generate(cfg); err != nil {
		return fmt.Errorf("generate %s: %w", subgraph, err)
	}
	return nil
}

// subgraphSettings is gqlgen.yml with the subgraph's paths under layoutRoot
// filled in and its own bindings from <layoutRoot>/schema/<name>/gqlgen.yml
// merged over the shared ones.
func subgraphSettings(layoutRoot, subgraph string) (map[string]any, error) {
	settings, err := readYAML("gqlgen.yml", true)
	if err != nil {
		return nil, err
	}
	schemaDir := filepath.Join(layoutRoot, "schema", subgraph)
	if _, err := os.Stat(schemaDir); err != nil {
		return nil, fmt.Errorf("unknown subgraph %q: %w", subgraph, err)
	}
	local, err := readYAML(filepath.Join(schemaDir, "gqlgen.yml"), false)
	if err != nil {
		return nil, err
	}
	for key, value := range local {
		switch key {
		case "models":
			models, _ := settings["models"].(map[string]any)
			if models == nil {
				models = map[string]any{}
			}
			extra, ok := value.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s/gqlgen.yml: models must be a mapping", schemaDir)
			}
			for name, binding := range extra {
				models[name] = binding
			}
			settings["models"] = models
		case "autobind":
			settings["autobind"] = value
		default:
			return nil, fmt.Errorf("%s/gqlgen.yml: only models and autobind may be set per subgraph, not %q", schemaDir, key)
		}
	}

	graphDir := filepath.Join(layoutRoot, "graph", subgraph)
	// Besides its own files, a subgraph takes the definitions every
	// subgraph shares, <layoutRoot>/schema/*.graphqls.
	schemas := []string{filepath.Join(schemaDir, "*.graphqls")}
	if shared, _ := filepath.Glob(filepath.Join(layoutRoot, "schema", "*.graphqls")); len(shared) > 0 {
		schemas = append(schemas, filepath.Join(layoutRoot, "schema", "*.graphqls"))
	}
	settings["schema"] = schemas
	settings["exec"] = map[string]any{
		"filename": filepath.Join(graphDir, "generated.go"),
		"package":  subgraph,
	}
	settings["model"] = map[string]any{
		"filename": filepath.Join(graphDir, "model", "models_gen.go"),
		"package":  "model",
	}
	federation, _ := settings["federation"].(map[string]any)
	if federation == nil {
		federation = map[string]any{}
	}
	federation["filename"] = filepath.Join(graphDir, "federation.go")
	federation["package"] = subgraph
	settings["federation"] = federation
	settings["resolver"] = map[string]any{
		"layout":            "follow-schema",
		"dir":               filepath.Join(layoutRoot, "resolvers", subgraph),
		"package":           subgraph,
		"filename_template": "{name}.resolvers.go",
	}
	return settings, nil
}

func readYAML(path string, required bool) (map[string]any, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := map[string]any{}
	if err := yaml.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return out, nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		raw, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(raw, []byte("module "+modulePath)) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod of " + modulePath + " not found above the working directory")
		}
		dir = parent
	}
}

// entityNote is the line gqlgen logs for each federation batch lookup
// (Entity.findMany...) when it binds resolvers: the federation plugin
// generates those lookups itself, so the note is expected, not a failure.
var entityNote = regexp.MustCompile(`adding resolver method for Entity\.findMany\w+, nothing matched`)

// quietEntityNotes passes gqlgen's log lines through, except entityNote's.
type quietEntityNotes struct{ w io.Writer }

func (q quietEntityNotes) Write(p []byte) (int, error) {
	if entityNote.Match(p) {
		return len(p), nil
	}
	return q.w.Write(p)
}
