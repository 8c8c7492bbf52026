package fasthttp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Each attack goes over a real server with the exact bytes a hostile
// client would send; net/http would clean most of these paths itself.

// cfsJail makes <tmp>/secret.txt and <tmp>/root/public.txt and returns the
// root and the secret's content.
func cfsJail(t *testing.T) (root, secret string) {
	t.Helper()
	base := t.TempDir()
	secret = "TOP-SECRET-" + t.Name()
	if err := os.WriteFile(filepath.Join(base, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	root = filepath.Join(base, "root")
	if err := os.MkdirAll(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "public.txt"), []byte("public"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, secret
}

func TestFSTraversalAttempts(t *testing.T) {
	t.Parallel()
	root, secret := cfsJail(t)
	fs := &FS{Root: root, GenerateIndexPages: true, Compress: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	attacks := []struct {
		path   string
		status int // 0: any refusal
	}{
		{"/../secret.txt", 404},
		{"/sub/../../secret.txt", 404},
		{"/%2e%2e/secret.txt", 404},
		{"/%2E%2e/secret.txt", 404},
		{"/sub/%2e%2e/%2e%2e/secret.txt", 404},
		{"/..%2fsecret.txt", 404},
		{"/%2e%2e%2fsecret.txt", 404},
		{"/..%5csecret.txt", 400},
		{"/sub/..%5c..%5csecret.txt", 400},
		{"/sub\\..\\..\\secret.txt", 400},
		// "%00" stays encoded in ctx.Path(): a name holding "%00", not found.
		{"/public.txt%00.png", 404},
		{"/%00", 404},
		{"/%252e%252e/secret.txt", 404},
		{"/" + strings.Repeat("../", 20) + "etc/passwd", 404},
	}
	for _, a := range attacks {
		resp, body := cfsGetPath(t, addr, a.path)
		if strings.Contains(string(body), secret) {
			t.Fatalf("%s leaked the secret", a.path)
		}
		if resp.StatusCode == 200 || (a.status != 0 && resp.StatusCode != a.status) {
			t.Errorf("%s: status %d, want %d", a.path, resp.StatusCode, a.status)
		}
	}
	if _, body := cfsGetPath(t, addr, "/public.txt"); string(body) != "public" {
		t.Fatal("the public file is not served")
	}
}

// A PathRewrite that hands back ".." gets 400 rather than trust.
func TestFSRewriteWithDotDotRefused(t *testing.T) {
	t.Parallel()
	root, secret := cfsJail(t)
	fs := &FS{Root: root, PathRewrite: func(ctx *RequestCtx) []byte {
		return ctx.QueryArgs().Peek("p")
	}}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, p := range []string{"../secret.txt", "/sub/../../secret.txt", "sub/..", "..\\secret.txt"} {
		resp, body := cfsGetPath(t, addr, "/?p="+p)
		if resp.StatusCode != 400 || strings.Contains(string(body), secret) {
			t.Errorf("rewrite %q: %d", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"public.txt", "//public.txt", "./sub/./../public.txt"} {
		resp, body := cfsGetPath(t, addr, "/?p="+p)
		want := 200
		if strings.Contains(p, "..") {
			want = 400
		}
		if resp.StatusCode != want || (want == 200 && string(body) != "public") {
			t.Errorf("rewrite %q: %d %q", p, resp.StatusCode, body)
		}
	}
}

// A Host header of ".." must not move the virtual-host root up.
func TestFSVHostDotDotHost(t *testing.T) {
	t.Parallel()
	root, secret := cfsJail(t)
	fs := &FS{Root: filepath.Join(root, "sub"), PathRewrite: NewVHostPathRewriter(0)}
	addr := cfsServer(t, fs.NewRequestHandler())
	for _, host := range []string{"..", "."} {
		resp, body := cfsRaw(t, addr, "GET /secret.txt HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
		if resp.StatusCode == 200 || strings.Contains(string(body), secret) {
			t.Fatalf("host %q: %d", host, resp.StatusCode)
		}
	}
}

func TestFSSymlinks(t *testing.T) {
	t.Parallel()
	root, secret := cfsJail(t)
	outside := filepath.Join(filepath.Dir(root), "secret.txt")
	outDir := filepath.Join(filepath.Dir(root), "outdir")
	_ = os.MkdirAll(outDir, 0o755)
	_ = os.WriteFile(filepath.Join(outDir, "f.txt"), []byte(secret), 0o644)
	links := map[string]string{
		"abs-out.txt": outside,
		"rel-out.txt": "../secret.txt",
		"dir-out":     outDir,
		"in.txt":      "public.txt",
		"sub/up.txt":  "../public.txt",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	confined := &FS{Root: root, GenerateIndexPages: true}
	addr := cfsServer(t, confined.NewRequestHandler())
	for _, p := range []string{"/abs-out.txt", "/rel-out.txt", "/dir-out/f.txt", "/dir-out/"} {
		resp, body := cfsGetPath(t, addr, p)
		if resp.StatusCode != 404 || strings.Contains(string(body), secret) {
			t.Errorf("confined %s: %d", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"/in.txt", "/sub/up.txt"} {
		if resp, body := cfsGetPath(t, addr, p); resp.StatusCode != 200 || string(body) != "public" {
			t.Errorf("inside link %s: %d %q", p, resp.StatusCode, body)
		}
	}
	open := &FS{Root: root, AllowSymlinksOutsideRoot: true}
	addr2 := cfsServer(t, open.NewRequestHandler())
	for _, p := range []string{"/abs-out.txt", "/rel-out.txt", "/dir-out/f.txt"} {
		if resp, body := cfsGetPath(t, addr2, p); resp.StatusCode != 200 || string(body) != secret {
			t.Errorf("allowed %s: %d", p, resp.StatusCode)
		}
	}
}

// Compressed copies are written under CompressRoot only: a symbolic link
// inside it pointing elsewhere must not carry the write out.
func TestFSCompressRootSymlinkConfined(t *testing.T) {
	t.Parallel()
	root, _ := cfsJail(t)
	if err := os.WriteFile(filepath.Join(root, "sub", "page.txt"), []byte(strings.Repeat("page ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	croot := filepath.Join(filepath.Dir(root), "croot")
	elsewhere := filepath.Join(filepath.Dir(root), "elsewhere")
	_ = os.MkdirAll(croot, 0o755)
	_ = os.MkdirAll(elsewhere, 0o755)
	if err := os.Symlink(elsewhere, filepath.Join(croot, "sub")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	fs := &FS{Root: root, CompressRoot: croot, Compress: true}
	addr := cfsServer(t, fs.NewRequestHandler())
	resp, body := cfsGetPath(t, addr, "/sub/page.txt", "Accept-Encoding: gzip")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// Served compressed from memory or not at all, but right.
	if got := cfsDecode(t, resp.Header.Get("Content-Encoding"), body); string(got) != strings.Repeat("page ", 100) {
		t.Fatal("body differs")
	}
	entries, _ := os.ReadDir(elsewhere)
	if len(entries) != 0 {
		t.Fatalf("a copy was written through the link: %v", entries[0].Name())
	}
}

// GO-2026-4950: a guard checks ctx.Path() (decoded once by the server);
// the file server must open exactly that path. "/%2561dmin/..." decodes
// to "/%61dmin/...", which the guard lets through, and must not be
// decoded a second time into "/admin/...".
func TestFSDoubleDecodingBypass(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "admin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "admin", "export.csv"), []byte("ADMIN-ONLY"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := &FS{Root: root, Compress: true, GenerateIndexPages: true}
	fsh := fs.NewRequestHandler()
	guard := func(serve RequestHandler) RequestHandler {
		return func(ctx *RequestCtx) {
			if strings.HasPrefix(strings.ToLower(string(ctx.Path())), "/admin") {
				ctx.Error("Unauthorized", StatusUnauthorized)
				return
			}
			serve(ctx)
		}
	}
	servers := map[string]string{
		"FS": cfsServer(t, guard(fsh)),
		"ServeFile": cfsServer(t, guard(func(ctx *RequestCtx) {
			ServeFile(ctx, root+string(ctx.Path()))
		})),
		"SendFile": cfsServer(t, guard(func(ctx *RequestCtx) {
			ctx.SendFile(root + string(ctx.Path()))
		})),
		"ServeFS": cfsServer(t, guard(func(ctx *RequestCtx) {
			ServeFS(ctx, os.DirFS(root), string(ctx.Path()))
		})),
	}
	for name, addr := range servers {
		for _, p := range []string{"/admin/export.csv", "/%61dmin/export.csv", "/ADMIN/export.csv", "/admin%2fexport.csv"} {
			if resp, _ := cfsGetPath(t, addr, p); resp.StatusCode != 401 {
				t.Errorf("%s %s: guard bypassed (%d)", name, p, resp.StatusCode)
			}
		}
		for _, p := range []string{"/%2561dmin/export.csv", "/%252561dmin/export.csv", "/%2561dmin/"} {
			resp, body := cfsGetPath(t, addr, p, "Accept-Encoding: gzip")
			if resp.StatusCode == 200 || strings.Contains(string(body), "ADMIN-ONLY") || strings.Contains(string(body), "export.csv") {
				t.Errorf("%s %s: protected file served past the guard (%d)", name, p, resp.StatusCode)
			}
		}
	}
	// The literal file name "%61dmin" is still reachable as itself.
	if err := os.MkdirAll(filepath.Join(root, "%61dmin"), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(root, "%61dmin", "export.csv"), []byte("literal"), 0o644)
	if _, body := cfsGetPath(t, servers["FS"], "/%2561dmin/export.csv"); string(body) != "literal" {
		t.Fatalf("literal %%61dmin: %q", body)
	}
}
