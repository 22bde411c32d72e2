package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONSize(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{`{}`, `{"a":"xyz","b":[1,2,{"c":null}],"d":true,"e":12.5}`, `{"l":["` + strings.Repeat("x", 1000) + `"]}`} {
		resp, err := DecodeResponse([]byte(`{"data":` + doc + `}`))
		if err != nil {
			t.Fatal(err)
		}
		exact, _ := json.Marshal(resp.Data)
		if got := JSONSize(resp.Data); got < int64(len(exact)) || got > 2*int64(len(exact))+8 {
			t.Errorf("JSONSize(%s) = %d, written %d", doc, got, len(exact))
		}
	}
}
