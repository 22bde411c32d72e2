// Package etcdtest starts a real, single-member etcd server in-process for
// tests (go.etcd.io/etcd/server/v3/embed), on loopback ports with its data
// in the test's temporary directory.
package etcdtest

import (
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// StartTimeout bounds the server's start.
const StartTimeout = 20 * time.Second

// Start starts an etcd server that stops when the test ends and returns a
// client of it and its client endpoint (host:port).
func Start(t testing.TB) (*clientv3.Client, string) {
	t.Helper()
	srv := StartServer(t)
	return srv.Client, srv.Endpoint
}

// Server is a running etcd server that a test can stop and start again, on
// the same ports and data.
type Server struct {
	// Client is connected to the server (across restarts).
	Client *clientv3.Client
	// Endpoint is its client address (host:port).
	Endpoint string

	cfg *embed.Config
	e   *embed.Etcd
}

// StartServer starts an etcd server that stops when the test ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	cfg := embed.NewConfig()
	cfg.Name = "test"
	cfg.Dir = t.TempDir()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	clientURL := url.URL{Scheme: "http", Host: freeAddr(t)}
	peerURL := url.URL{Scheme: "http", Host: freeAddr(t)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{clientURL}, []url.URL{clientURL}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peerURL}, []url.URL{peerURL}
	cfg.InitialCluster = fmt.Sprintf("%s=%s", cfg.Name, peerURL.String())
	s := &Server{Endpoint: clientURL.Host, cfg: cfg}
	s.Start(t)
	t.Cleanup(s.Stop)
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{clientURL.Host}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatalf("etcd client: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	s.Client = client
	return s
}

// Start starts the server (again, after Stop) and waits until it serves.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	e, err := embed.StartEtcd(s.cfg)
	if err != nil {
		t.Fatalf("start etcd: %v", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		t.Fatalf("etcd: %v", err)
	case <-time.After(StartTimeout):
		e.Close()
		t.Fatalf("etcd did not start within %s", StartTimeout)
	}
	s.e = e
}

// Stop stops the server; its data stays for Start.
func (s *Server) Stop() {
	if s.e != nil {
		s.e.Close()
		s.e = nil
	}
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
