// A form's view of the editor's problems, keyed by the rest of their path (`.priceCents`,
// `.name.ar`): the one at a field, and those under a part of it for a sub-form.
export function problemLookup(problems: () => ReadonlyMap<string, string>) {
  const at = (path: string) => problems().get(path);
  const under = (prefix: string) => new Map([...problems()].filter(([path]) => path.startsWith(prefix)).map(([path, message]) => [path.slice(prefix.length), message]));
  return { at, under };
}
