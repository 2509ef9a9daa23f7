// Issue #13's attachments contract in finalizeReply: which files a reply may carry, the `attachments` array
// Discord's multipart JSON expects beside them, and embed images that must name a file the reply sends.
import { describe, expect, it } from 'vitest';
import { Limits } from '../src/reply/limits.js';
import type { ReplyFile } from '../src/reply/reply.js';
import { finalizeReply } from '../src/reply/respond.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A file `size` bytes long that starts as a PNG does (finalizeReply reads no further). */
function png(name: string, size = 64, description = `alt text of ${name}`): ReplyFile {
	const data = new Uint8Array(size);
	data.set(SIGNATURE);
	return { name, data, description };
}
const names = (files: readonly ReplyFile[] | undefined): string[] | undefined => files?.map((f) => f.name);

describe('finalizeReply and files', () => {
	it('carries the files and their attachments (ids "0" on, strings as Discord types them; filename, description); the embed image naming one stays', () => {
		const a = png('ratings.png');
		const b = png('server_ratings-2.png');
		const data = finalizeReply({
			embeds: [{ title: 'Pusher', image: { url: 'attachment://ratings.png' } }],
			files: [a, b],
		});
		expect(data.files).toEqual([a, b]);
		expect(data.attachments).toEqual([
			{ id: '0', filename: 'ratings.png', description: 'alt text of ratings.png' },
			{ id: '1', filename: 'server_ratings-2.png', description: 'alt text of server_ratings-2.png' },
		]);
		expect(data.embeds).toEqual([{ title: 'Pusher', image: { url: 'attachment://ratings.png' } }]);
	});

	it('no files: neither files nor attachments; an empty list: both empty (an edit then drops the old files)', () => {
		const none = finalizeReply({ content: 'hi' });
		expect('files' in none || 'attachments' in none).toBe(false);
		const empty = finalizeReply({ content: 'hi', files: [] });
		expect(empty.files).toEqual([]);
		expect(empty.attachments).toEqual([]);
	});

	it('leaves out a file with a bad name, a repeated name, over 100 KB or not a PNG; 100 KB exactly goes', () => {
		const notPng = { name: 'text.png', data: new TextEncoder().encode('not a png at all'), description: 'x' };
		const data = finalizeReply({
			files: [
				png('Upper.png'),
				png('chart.svg'),
				png('../up.png'),
				png('.png'),
				png('ok.png'),
				png('ok.png', 80),
				png('big.png', Limits.fileBytes + 1),
				png('limit.png', Limits.fileBytes),
				notPng,
			],
		});
		expect(names(data.files)).toEqual(['ok.png', 'limit.png']);
		expect(data.files?.[0]?.data.byteLength).toBe(64);
		expect(data.attachments?.map((a) => [a.id, a.filename])).toEqual([
			['0', 'ok.png'],
			['1', 'limit.png'],
		]);
	});

	it('keeps the first 10 files of 12', () => {
		const data = finalizeReply({ files: Array.from({ length: 12 }, (_, i) => png(`chart-${i}.png`)) });
		expect(names(data.files)).toEqual(Array.from({ length: 10 }, (_, i) => `chart-${i}.png`));
		expect(data.attachments?.map((a) => a.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
	});

	it('breaks mentions in a description (it holds film titles)', () => {
		const data = finalizeReply({ files: [png('a.png', 64, 'Rating histogram of @everyone <@123456789012345678>.')] });
		expect(data.attachments?.[0]?.description).toBe('Rating histogram of @\u200beveryone <\u200b@123456789012345678>.');
	});

	it('makes a description plain text on one line, within 1,024 characters', () => {
		const long = `Ratings:\n${'word '.repeat(300)}`;
		const data = finalizeReply({ files: [png('a.png', 64, long)] });
		const description = data.attachments?.[0]?.description ?? '';
		expect(description.length).toBeLessThanOrEqual(Limits.fileDescription);
		expect(description.length).toBeGreaterThan(1000);
		expect(description.startsWith('Ratings: word word')).toBe(true);
		expect(description.endsWith('word…')).toBe(true);
		expect(data.files?.[0]?.description).toBe(description);
	});

	it('drops an embed image whose attachment:// names no file of the reply; other images stay', () => {
		const data = finalizeReply({
			embeds: [
				{ title: 'left out', image: { url: 'attachment://big.png' } },
				{ title: 'never sent', image: { url: 'attachment://other.png' } },
				{ title: 'web', image: { url: 'https://example.com/poster.png' } },
			],
			files: [png('big.png', Limits.fileBytes + 1)],
		});
		expect(data.embeds).toEqual([
			{ title: 'left out' },
			{ title: 'never sent' },
			{ title: 'web', image: { url: 'https://example.com/poster.png' } },
		]);
		expect(data.files).toEqual([]);
	});
});
