/**
 * The name of a temporary file written next to its target and renamed over it when
 * complete. It must be valid whenever the target's name is: a file system allows at most
 * 255 bytes per name, so a temporary name made of the whole target name plus a suffix
 * would fail (ENAMETOOLONG) for a valid target name near that limit. The target's name is
 * therefore cut to a fixed number of bytes; the caller's suffix (process id, random part)
 * keeps temporary names apart.
 */
import { basename, dirname, sep } from 'node:path';

/** Bytes of the target's name kept in a temporary name: enough for a person to recognize it. */
const keptBytes = 64;

/**
 * `<folder of target>/<prefix><target's name, at most 64 bytes><suffix>`. The cut falls on
 * a character boundary, so the name stays valid UTF-8.
 */
export function temporaryPathNextTo(target: string, prefix: string, suffix: string): string {
  let kept = '';
  let bytes = 0;
  for (const char of basename(target)) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > keptBytes) break;
    kept += char;
  }
  // Not path.join: it would fold `link/..` by spelling, where the kernel follows the link.
  const folder = dirname(target);
  const separator = folder.endsWith('/') || folder.endsWith(sep) ? '' : sep;
  return `${folder}${separator}${prefix}${kept}${suffix}`;
}
