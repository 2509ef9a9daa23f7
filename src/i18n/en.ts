/**
 * The English catalogue: every string Marquee says that has been localised so far, and the source of the
 * catalogue's keys (another locale's catalogue must have exactly these keys, or `tsc` fails).
 *
 * Keys: `cmd.<command>[.<subcommand>][.<option>].name|description` and `….choice.<value>` are the slash
 * command data (the English text here is what the command's data says; a test keeps the two equal);
 * the rest are replies. `{name}` in a text is a parameter `t` fills in.
 */
export const en = {
	// The slash commands' data (names and descriptions Discord shows in its command picker).
	'cmd.reviews.name': 'reviews',
	'cmd.reviews.description': "A film's critic verdict, audience rating and most helpful reviews, with pages for every review",
	'cmd.reviews.film.name': 'film',
	'cmd.reviews.film.description': 'Title or alias, e.g. Pusher II',
	'cmd.critic.name': 'critic',
	'cmd.critic.description': "One critic's reviews across films",
	'cmd.critic.name.name': 'name',
	'cmd.critic.name.description': 'Critic name, e.g. Noel Murray (a surname is enough)',
	'cmd.quote.name': 'quote',
	'cmd.quote.description': 'Quotes from the reviews',
	'cmd.quote.random.name': 'random',
	'cmd.quote.random.description': 'A random quote from a review, with who said it',
	'cmd.quote.random.film.name': 'film',
	'cmd.quote.random.film.description': 'Only from this film',
	'cmd.quote.random.kind.name': 'kind',
	'cmd.quote.random.kind.description': "Only from user reviews, only from critics, or only from this server's members",
	'cmd.quote.random.kind.choice.user': 'user',
	'cmd.quote.random.kind.choice.critic': 'critic',
	'cmd.quote.random.kind.choice.member': 'member',
	'cmd.rate.name': 'rate',
	'cmd.rate.description': "Rate a film from 1 to 10 for this server's verdict, or take your rating back",
	'cmd.rate.film.name': 'film',
	'cmd.rate.film.description': 'Title or alias, e.g. Pusher II',
	'cmd.rate.score.name': 'score',
	'cmd.rate.score.description': 'Your score, 1 (worst) to 10 (best)',
	'cmd.rate.remove.name': 'remove',
	'cmd.rate.remove.description': 'Take your rating of the film back',
	'cmd.top.name': 'top',
	'cmd.top.description': "This server's best-rated films, by its members' ratings",
	'cmd.top.min_ratings.name': 'min_ratings',
	'cmd.top.min_ratings.description': 'Only films with at least this many ratings (default 1)',
	'cmd.member.name': 'member',
	'cmd.member.description': "A member's ratings and reviews in this server",
	'cmd.member.user.name': 'user',
	'cmd.member.user.description': 'Whose ratings and reviews',
	'cmd.forget-me.name': 'forget-me',
	'cmd.forget-me.description': 'Delete every rating and review you have given, in every server',
	'cmd.divisive.name': 'divisive',
	'cmd.divisive.description': 'The most divisive films, and where critics and the audience (or this server) disagree most',
	'cmd.divisive.kind.name': 'kind',
	'cmd.divisive.kind.description': "Whose ratings: the site's audience (default) or this server's members",
	'cmd.divisive.kind.choice.audience': 'audience',
	'cmd.divisive.kind.choice.server': 'server',
	'cmd.compare.name': 'compare',
	'cmd.compare.description': 'Two films side by side: critics, audience, this server, the most helpful quote of each',
	'cmd.compare.film_a.name': 'film_a',
	'cmd.compare.film_a.description': 'The first film: title or alias',
	'cmd.compare.film_b.name': 'film_b',
	'cmd.compare.film_b.description': 'The second film: title or alias',

	// The dispatcher's own answers.
	'dispatch.refused': "That interaction didn't come as Discord sends them ({problem}), so I didn't answer it.",
	'dispatch.failed': 'Something went wrong while answering that. It has been logged; please try again in a moment.',
	'dispatch.unknownButton': "That button isn't one I recognise any more. Run the command again.",
	'dispatch.unknownForm': "That form isn't one I recognise any more. Run the command again.",
	'dispatch.unknownCommand': "I don't have a `/{name}` command (any more). Try `/reviews`.",
	// Why an interaction was refused (in the refusal above and, in English, in the log line).
	'problem.userId': 'the user id is not a Discord id',
	'problem.channelId': 'the channel id is not a Discord id',
	'problem.guildId': 'the server id is not a Discord id',
	'problem.buttonId': "the button's custom id is too long",
	'problem.commandName': 'the command name is not one Discord allows',
	'problem.noAutocomplete': 'the focused option has no autocomplete',
	'problem.autocompleteLength': 'the autocomplete value is longer than its option allows',
	'problem.modalId': "the modal's custom id is too long",
	'problem.modalFields': 'the modal has too many fields',
	'problem.modalFieldId': "a modal field's custom id is too long",
	'problem.modalFieldLength': 'a modal field is longer than Discord allows',

	// A film or critic name that matched nothing (commands/render.ts).
	'unknown.film': "I don't know a film called “{query}”.",
	'unknown.critic': "I don't know a critic called “{query}”.",
	'unknown.didYouMean': 'Did you mean {names}?',
	'hint.autocomplete': 'Try the autocomplete list as you type.',

	// Counted nouns, chosen by the locale's plural rules (`count` in ./index.ts).
	'count.rating.one': '{n} rating',
	'count.rating.other': '{n} ratings',
	'count.member.one': '{n} member',
	'count.member.other': '{n} members',
	'date.undated': 'undated',
} as const;

export type Key = keyof typeof en;
/** What every other locale's catalogue must be: a text for each English key, and no other key. */
export type Catalogue = { readonly [K in Key]: string };
