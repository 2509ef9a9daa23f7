// Input lines cut to a bounded length before readline holds them.
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Passes text through with each line cut to `max` + 1 characters. readline holds a whole line before
 * handing it over, so a pipe's endless line (a file with no newline) would otherwise be held whole,
 * up to a string too long for V8; cut, it is still over `max` and refused as too long, never read as
 * a shorter command. A line ends at `\n` or `\r`, as readline reads it.
 */
export function capLines(max: number): Transform {
	const decoder = new StringDecoder('utf8');
	// Characters of the current line so far, kept or not.
	let length = 0;
	const cut = (text: string): string | undefined => {
		let out = '';
		let from = 0;
		const keep = (to: number): void => {
			const room = max + 1 - length;
			if (room > 0) out += text.slice(from, from + Math.min(room, to - from));
			length += to - from;
		};
		for (const end of text.matchAll(/[\r\n]/g)) {
			keep(end.index);
			out += end[0];
			length = 0;
			from = end.index + 1;
		}
		keep(text.length);
		return out === '' ? undefined : out;
	};
	return new Transform({
		transform(chunk: unknown, _encoding, done) {
			done(null, cut(Buffer.isBuffer(chunk) ? decoder.write(chunk) : String(chunk)));
		},
		flush(done) {
			done(null, cut(decoder.end()));
		},
	});
}
