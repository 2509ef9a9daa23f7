/** SVG to PNG with resvg and the shipped Inter font (never a system font), and a PNG's pixel size read from its header. */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
/** Inter (SIL Open Font License), shipped as an npm package: every machine draws the same glyphs. */
const FONT_FILES = [
	require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
	require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf'),
];
export const FONT_FAMILY = 'Inter';

/** `svg` drawn at its own size; text in Inter only, so the same SVG gives the same bytes everywhere. */
export function svgToPng(svg: string): Uint8Array {
	const resvg = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY } });
	return resvg.render().asPng();
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG's width and height from its IHDR chunk (the first, right after the signature); undefined when `data` is no PNG. */
export function pngSize(data: Uint8Array): { width: number; height: number } | undefined {
	if (data.byteLength < 24 || !SIGNATURE.every((byte, i) => data[i] === byte)) return undefined;
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	if (String.fromCharCode(...data.subarray(12, 16)) !== 'IHDR') return undefined;
	return { width: view.getUint32(16), height: view.getUint32(20) };
}
