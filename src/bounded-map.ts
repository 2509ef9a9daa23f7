/**
 * A Map that keeps at most `max` entries: setting a key makes it the newest, and the oldest go first.
 * (The in-memory Keyv store, getOrCompute's memo and the search results cache; Keyv itself only evicts
 * expired entries when they are read.)
 */
export class BoundedMap<K, V> extends Map<K, V> {
	readonly #max: number;
	constructor(max: number) {
		super();
		this.#max = max;
	}
	override set(key: K, value: V): this {
		if (this.has(key)) this.delete(key);
		super.set(key, value);
		while (this.size > this.#max) {
			const oldest = this.keys().next();
			if (oldest.done === true) break;
			this.delete(oldest.value);
		}
		return this;
	}
}
