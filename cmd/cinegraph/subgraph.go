package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/internal/logging"
)

func runSubgraph(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("subgraph", stderr, &common)
	if len(args) == 0 || !slices.Contains(config.Subgraphs, args[0]) {
		return fmt.Errorf("subgraph: name one of %v", config.Subgraphs)
	}
	name := args[0]
	register := fs.String("register", "", "register this instance in etcd while it runs: etcd://host:port[,host:port]")
	advertise := fs.String("advertise", "", "the URL routers reach this instance at, with -register (default: http://<listen address>/graphql; on 0.0.0.0 or ::, this machine's first non-loopback IP, else its hostname)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	addr := cfg.Subgraph.Listen[name]
	if common.listen != "" {
		addr = common.listen
	}
	token, err := app.RouterToken(cfg)
	if err != nil {
		return err
	}
	logger := logging.New(stderr, cfg.Log)
	stopTracing, err := startTracing(ctx, cfg, name, logger)
	if err != nil {
		return err
	}
	defer stopTracing()

	bus, err := app.OpenBus(ctx, cfg)
	if err != nil {
		return err
	}
	sg, err := app.OpenSubgraph(ctx, name, cfg, bus, logger)
	if err != nil {
		return errors.Join(err, bus.Close())
	}
	checker := health.New()
	checker.Add(name, sg.Ready)
	metrics := app.NewMetrics(cfg)
	mux := http.NewServeMux()
	mux.Handle("/graphql", metrics.Subgraph(name, app.SubgraphHandler(sg, token)))
	checker.Register(mux)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return errors.Join(fmt.Errorf("listen: %w", err), sg.Close(), bus.Close())
	}
	defer ln.Close()
	// Health and /metrics on admin.listen, when set.
	stopAdmin, err := app.ServeAdmin(ctx, cfg, app.SubgraphAdminHandler(checker, metrics), logger)
	if err != nil {
		return errors.Join(err, sg.Close(), bus.Close())
	}
	// Registered once listening; deregistered (its lease revoked) as soon
	// as shutdown begins, so routers send nothing new while it drains.
	deregister := func() error { return nil }
	if *register != "" {
		endpoints, err := app.EtcdEndpoints(*register)
		if err != nil {
			return errors.Join(fmt.Errorf("-register: %w", err), stopAdmin(), sg.Close(), bus.Close())
		}
		url := *advertise
		if url == "" {
			url = advertiseURL(ln.Addr())
		}
		if deregister, err = app.RegisterSubgraph(ctx, cfg, endpoints, name, url, logger); err != nil {
			return errors.Join(err, stopAdmin(), sg.Close(), bus.Close())
		}
	}
	serveErr := app.Serve(ctx, ln, mux, checker, cfg.Server, cfg.ShutdownTimeout, logger)
	return errors.Join(serveErr, deregister(), stopAdmin(), sg.Close(), bus.Close())
}

// advertiseURL is the URL of the listener's /graphql for other hosts. A
// listener on an unspecified address (0.0.0.0, ::) is reached at this
// machine's own address: its first non-loopback unicast IP (IPv4 first,
// what a container or pod is reached at), else its hostname, else
// loopback; -advertise names another when none of these is right.
func advertiseURL(addr net.Addr) string {
	return advertiseURLWith(addr, localInterfaceAddrs, os.Hostname)
}

func advertiseURLWith(addr net.Addr, interfaceAddrs func() ([]net.Addr, error), hostname func() (string, error)) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/graphql"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = machineHost(interfaceAddrs, hostname)
	}
	return "http://" + net.JoinHostPort(host, port) + "/graphql"
}

// machineHost is the first global unicast address among addrs (IPv4
// before IPv6), else the hostname, else 127.0.0.1.
func machineHost(interfaceAddrs func() ([]net.Addr, error), hostname func() (string, error)) string {
	if addrs, err := interfaceAddrs(); err == nil {
		var v6 net.IP
		for _, a := range addrs {
			var ip net.IP
			switch a := a.(type) {
			case *net.IPNet:
				ip = a.IP
			case *net.IPAddr:
				ip = a.IP
			}
			// Global unicast: not loopback, link-local, multicast or
			// unspecified (private ranges included).
			if ip == nil || !ip.IsGlobalUnicast() {
				continue
			}
			if ip.To4() != nil {
				return ip.String()
			}
			if v6 == nil {
				v6 = ip
			}
		}
		if v6 != nil {
			return v6.String()
		}
	}
	if name, err := hostname(); err == nil && name != "" {
		return name
	}
	return "127.0.0.1"
}

// localInterfaceAddrs lists the addresses of the interfaces that are up and
// not loopback, in interface order.
func localInterfaceAddrs() ([]net.Addr, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []net.Addr
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 || iface.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := iface.Addrs()
		if err != nil {
			continue
		}
		out = append(out, addrs...)
	}
	return out, nil
}
