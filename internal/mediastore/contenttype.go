package mediastore

import (
	"path"
	"strings"
)

// contentTypes are the types media is served with, by extension. They are
// fixed here rather than taken from the system's MIME tables, which differ
// between machines and lack the streaming types.
var contentTypes = map[string]string{
	".m3u8": "application/vnd.apple.mpegurl",
	".mpd":  "application/dash+xml",
	".ts":   "video/mp2t",
	".m4s":  "video/iso.segment",
	".mp4":  "video/mp4",
	".m4a":  "audio/mp4",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".webp": "image/webp",
	".png":  "image/png",
	".avif": "image/avif",
	".svg":  "image/svg+xml",
	".vtt":  "text/vtt; charset=utf-8",
	".json": "application/json",
}

// ContentType is the type a file with this key is served with;
// application/octet-stream for an extension it does not know.
func ContentType(key string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(key))]; ok {
		return t
	}
	return "application/octet-stream"
}
