// Search highlights arrive as strings with matches wrapped in <em>. They are
// parsed into plain segments and rendered as React text, so nothing but the
// emphasis ever becomes markup.

export interface Segment {
  text: string;
  emphasized: boolean;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&#x27;": "'",
  "&#34;": '"',
};

// The search index may or may not HTML-escape the text around <em>; decoding
// the common entities shows either form correctly, still as text.
function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x27|#34);/g, (m) => ENTITIES[m] ?? m);
}

/** Splits a fragment into emphasized and plain segments; other tags stay literal text. */
export function parseHighlight(fragment: string): Segment[] {
  const segments: Segment[] = [];
  let emphasized = false;
  for (const part of fragment.split(/(<\/?em>)/i)) {
    const tag = part.toLowerCase();
    if (tag === "<em>") {
      emphasized = true;
    } else if (tag === "</em>") {
      emphasized = false;
    } else if (part !== "") {
      const text = decodeEntities(part);
      const last = segments[segments.length - 1];
      if (last && last.emphasized === emphasized) last.text += text;
      else segments.push({ text, emphasized });
    }
  }
  return segments;
}
