// Type declarations for the zod (mini) schemas shipped by `discord-api-spec/zod`.
// The package points its "types" at a JavaScript file, so TypeScript cannot type it on its own.
// Only the schemas the fake Discord server uses are declared here.
declare module 'discord-api-spec/zod' {
	import type { ZodMiniType } from 'zod/mini';

	export const CreateMessageInteractionCallbackRequestSchema: ZodMiniType;
	export const UpdateMessageInteractionCallbackRequestSchema: ZodMiniType;
	export const ApplicationCommandAutocompleteCallbackRequestSchema: ZodMiniType;
	export const ModalInteractionCallbackRequestSchema: ZodMiniType;
	export const PongInteractionCallbackRequestSchema: ZodMiniType;
	export const LaunchActivityInteractionCallbackRequestSchema: ZodMiniType;
	export const IncomingWebhookRequestPartialSchema: ZodMiniType;
	export const IncomingWebhookUpdateRequestPartialSchema: ZodMiniType;
	export const ApplicationCommandUpdateRequestSchema: ZodMiniType;
	export const ApplicationCommandCreateRequestSchema: ZodMiniType;
	export const ApplicationCommandPatchRequestPartialSchema: ZodMiniType;
}
