// `$(VAR)` expansion used for container env values, command/args and subPathExpr, with upstream's rules:
// `$$` is an escaped `$`, unknown references are left as written, an unterminated `$(` is copied verbatim.

/** Maps a variable name to its value; returns undefined when the name is unknown. */
export type Lookup = (name: string) => string | undefined;

/** A lookup over several maps, first match wins (upstream MappingFuncFor). */
export function lookupIn(...contexts: Array<Record<string, string> | Map<string, string>>): Lookup {
  return (name) => {
    for (const c of contexts) {
      if (c instanceof Map) {
        if (c.has(name)) return c.get(name);
      } else if (Object.prototype.hasOwnProperty.call(c, name)) {
        return c[name];
      }
    }
    return undefined;
  };
}

/** Expands `$(NAME)` references in input; unresolved references stay as `$(NAME)`. */
export function expand(input: string, lookup: Lookup): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    const next = rest[0];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 1) {
        const name = rest.slice(1, close);
        const value = lookup(name);
        out += value === undefined ? `$(${name})` : value;
        advance = close + 1;
      } else {
        out += '$(';
      }
    } else {
      out += '$' + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
