// A signed interaction as Discord POSTs one to an HTTP interactions endpoint: its body and its Ed25519 signature
// headers. Shared by the HTTP endpoint's tests and the benchmark, which both play Discord.
import { type KeyObject, sign } from 'node:crypto';

/** An interaction of `type` with `data`, from `user` in `channel`, the rest filled in as Discord sends it. */
export function interactionBody(type: number, data: object, { user, channel }: { readonly user: string; readonly channel: string }) {
	return {
		id: '1',
		application_id: '2',
		token: 't',
		version: 1,
		type,
		data,
		channel: { id: channel },
		member: { user: { id: user } },
	};
}

/** The headers Discord signs `body` with: an Ed25519 signature, by `privateKey`, of the timestamp (default now) and the body. */
export function signatureHeaders(
	body: string,
	privateKey: KeyObject,
	timestamp = String(Math.floor(Date.now() / 1000)),
): { 'x-signature-ed25519': string; 'x-signature-timestamp': string } {
	return {
		'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
		'x-signature-timestamp': timestamp,
	};
}
