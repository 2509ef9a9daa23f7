import type { Catalogue, Key } from './en.js';

/**
 * The Danish catalogue. `satisfies Catalogue` makes `tsc` fail on a missing or an extra key; the test
 * (test/i18n.test.ts) fails on an empty text, a lost `{parameter}`, a command name Discord would refuse,
 * or a text left in English that is not listed in SAME_IN_DANISH.
 */
export const da = {
	'cmd.reviews.name': 'anmeldelser',
	'cmd.reviews.description': 'En films kritikerdom, publikumsbedømmelse og mest hjælpsomme anmeldelser, med sider for dem alle',
	'cmd.reviews.film.name': 'film',
	'cmd.reviews.film.description': 'Titel eller alias, fx Pusher II',
	'cmd.critic.name': 'kritiker',
	'cmd.critic.description': 'Én kritikers anmeldelser på tværs af film',
	'cmd.critic.name.name': 'navn',
	'cmd.critic.name.description': 'Kritikerens navn, fx Noel Murray (et efternavn er nok)',
	'cmd.quote.name': 'citat',
	'cmd.quote.description': 'Citater fra anmeldelserne',
	'cmd.quote.random.name': 'tilfældigt',
	'cmd.quote.random.description': 'Et tilfældigt citat fra en anmeldelse, og hvem der sagde det',
	'cmd.quote.random.film.name': 'film',
	'cmd.quote.random.film.description': 'Kun fra denne film',
	'cmd.quote.random.kind.name': 'slags',
	'cmd.quote.random.kind.description': 'Kun fra brugeranmeldelser, kun fra kritikere eller kun fra denne servers medlemmer',
	'cmd.quote.random.kind.choice.user': 'bruger',
	'cmd.quote.random.kind.choice.critic': 'kritiker',
	'cmd.quote.random.kind.choice.member': 'medlem',
	'cmd.rate.name': 'bedøm',
	'cmd.rate.description': 'Giv en film 1 til 10 til denne servers dom, eller tag din bedømmelse tilbage',
	'cmd.rate.film.name': 'film',
	'cmd.rate.film.description': 'Titel eller alias, fx Pusher II',
	'cmd.rate.score.name': 'karakter',
	'cmd.rate.score.description': 'Din karakter, 1 (dårligst) til 10 (bedst)',
	'cmd.rate.remove.name': 'fjern',
	'cmd.rate.remove.description': 'Tag din bedømmelse af filmen tilbage',
	'cmd.top.name': 'top',
	'cmd.top.description': 'Denne servers bedst bedømte film efter medlemmernes bedømmelser',
	'cmd.top.min_ratings.name': 'min_bedømmelser',
	'cmd.top.min_ratings.description': 'Kun film med mindst så mange bedømmelser (standard 1)',
	'cmd.member.name': 'medlem',
	'cmd.member.description': 'Et medlems bedømmelser og anmeldelser i denne server',
	'cmd.member.user.name': 'bruger',
	'cmd.member.user.description': 'Hvis bedømmelser og anmeldelser',
	'cmd.forget-me.name': 'glem-mig',
	'cmd.forget-me.description': 'Slet alle de bedømmelser og anmeldelser, du har givet, i alle servere',
	'cmd.divisive.name': 'splittende',
	'cmd.divisive.description': 'De mest splittende film, og hvor kritikere og publikum (eller denne server) er mest uenige',
	'cmd.divisive.kind.name': 'slags',
	'cmd.divisive.kind.description': 'Hvis bedømmelser: sidens publikum (standard) eller denne servers medlemmer',
	'cmd.divisive.kind.choice.audience': 'publikum',
	'cmd.divisive.kind.choice.server': 'server',
	'cmd.compare.name': 'sammenlign',
	'cmd.compare.description': 'To film side om side: kritikere, publikum, denne server og det mest hjælpsomme citat fra hver',
	'cmd.compare.film_a.name': 'første_film',
	'cmd.compare.film_a.description': 'Den første film: titel eller alias',
	'cmd.compare.film_b.name': 'anden_film',
	'cmd.compare.film_b.description': 'Den anden film: titel eller alias',

	'dispatch.refused': 'Den interaktion kom ikke, som Discord sender dem ({problem}), så jeg svarede ikke på den.',
	'dispatch.failed': 'Noget gik galt, da jeg skulle svare. Det er logget; prøv igen om et øjeblik.',
	'dispatch.unknownButton': 'Den knap kender jeg ikke længere. Kør kommandoen igen.',
	'dispatch.unknownForm': 'Den formular kender jeg ikke længere. Kør kommandoen igen.',
	'dispatch.unknownCommand': 'Jeg har ikke (længere) en `/{name}`-kommando. Prøv `/anmeldelser`.',
	'problem.userId': 'brugerens id er ikke et Discord-id',
	'problem.channelId': 'kanalens id er ikke et Discord-id',
	'problem.guildId': 'serverens id er ikke et Discord-id',
	'problem.buttonId': 'knappens custom id er for langt',
	'problem.commandName': 'kommandonavnet er ikke et, Discord tillader',
	'problem.noAutocomplete': 'det valgte felt har ingen forslag',
	'problem.autocompleteLength': 'forslagsværdien er længere, end feltet tillader',
	'problem.modalId': 'formularens custom id er for langt',
	'problem.modalFields': 'formularen har for mange felter',
	'problem.modalFieldId': 'et formularfelts custom id er for langt',
	'problem.modalFieldLength': 'et formularfelt er længere, end Discord tillader',

	'unknown.film': 'Jeg kender ingen film, der hedder »{query}«.',
	'unknown.critic': 'Jeg kender ingen kritiker, der hedder »{query}«.',
	'unknown.didYouMean': 'Mente du {names}?',
	'hint.autocomplete': 'Brug forslagslisten, mens du skriver.',

	'count.rating.one': '{n} bedømmelse',
	'count.rating.other': '{n} bedømmelser',
	'count.member.one': '{n} medlem',
	'count.member.other': '{n} medlemmer',
	'date.undated': 'udateret',

	// /reviews: the overview, the review pages, their buttons and notices, and the server block (commands/reviews.ts, render.ts, members-render.ts).
	'count.critic.one': '{n} kritiker',
	'count.critic.other': '{n} kritikere',
	'count.review.one': '{n} anmeldelse',
	'count.review.other': '{n} anmeldelser',
	'count.criticReview.one': '{n} kritikeranmeldelse',
	'count.criticReview.other': '{n} kritikeranmeldelser',
	'count.userReview.one': '{n} brugeranmeldelse',
	'count.userReview.other': '{n} brugeranmeldelser',
	'count.memberReview.one': '{n} medlemsanmeldelse',
	'count.memberReview.other': '{n} medlemsanmeldelser',
	'reviews.critics': 'Kritikere',
	'reviews.audience': 'Publikum',
	'reviews.ratings': 'Bedømmelser',
	'reviews.positive': '{n} positive',
	'reviews.mixed': '{n} blandede',
	'reviews.negative': '{n} negative',
	'reviews.criticMean': 'Kritikernes gennemsnit **{score}/100** ({n} med karakter)',
	'reviews.noCritics': 'Ingen kritikeranmeldelser af denne film endnu.',
	'reviews.noRatings': 'Ingen bedømmelser endnu',
	'reviews.mean': '**{mean}/10** fra {ratings}',
	'reviews.onSite': ' (af {n} på siden)',
	'reviews.here': '{mean} · {reviews} her{site}',
	'reviews.mostHelpfulPrefix': 'Mest hjælpsomme: ',
	'reviews.noUsers': 'Ingen brugeranmeldelser af denne film endnu.',
	'reviews.kind.critic': 'kritikeranmeldelse',
	'reviews.kind.user': 'brugeranmeldelse',
	'reviews.kind.member': 'medlemsanmeldelse',
	'reviews.where': '{film} · {kind} {n} af {total} · {order}',
	'reviews.readMore': '*(læs mere på kildesiden)*',
	'reviews.criticTitle': 'Kritikeranmeldelse nr. {n}',
	'reviews.score': 'Karakter',
	'reviews.date': 'Dato',
	'reviews.rating': 'Bedømmelse',
	'reviews.helpful': 'Hjælpsom',
	'reviews.noScore': 'ingen karakter',
	'reviews.band.positive': 'positiv',
	'reviews.band.mixed': 'blandet',
	'reviews.band.negative': 'negativ',
	'reviews.noRating': 'ingen bedømmelse',
	'reviews.noVotes': 'ingen stemmer endnu',
	'reviews.foundHelpful': '{up} af {total} fandt den hjælpsom',
	'reviews.users': 'Brugere',
	'reviews.members': 'Medlemmer',
	'reviews.overview': 'Oversigt',
	'reviews.previous': '◀ Forrige',
	'reviews.next': 'Næste ▶',
	'reviews.sort.helpful': 'Mest hjælpsomme',
	'reviews.sort.newest': 'Nyeste',
	'reviews.sort.rating': 'Højest bedømt',
	'reviews.sort.pageOrder': 'Sidens rækkefølge',
	'reviews.order.pageOrder': 'i sidens rækkefølge',
	'reviews.order.first': '{label} først',
	'reviews.footer': '{reviews} at bladre i · {order}',
	'reviews.unrecognised': 'Den knap kender jeg ikke længere. Kør `/anmeldelser` igen for at få friske sider.',
	'reviews.notYours': 'Kun den, der kørte denne `/anmeldelser`, kan bladre i siderne. Kør selv `/anmeldelser` for at bladre.',
	'reviews.filmGone': 'Denne film er ikke længere i Marquees bibliotek, så der kan ikke bladres i siderne. Kør `/anmeldelser` igen.',
	'server.name': 'Denne server',
	'server.unavailable': 'Medlemmernes bedømmelser kan ikke hentes lige nu; prøv igen om et minut.',
	'server.readUnavailable': 'Medlemmernes bedømmelser kan ikke læses lige nu; prøv igen om et minut.',
	'server.unrated': 'Intet medlem har bedømt denne film endnu: vær den første med `/bedøm`.{written}',
	'server.mean': '**{mean}/10** fra {members}{written}',
	'server.ratings': 'Serverens bedømmelser',
	'server.memberReview': 'Medlemsanmeldelse',
	'server.member': 'Medlem',
	// /critic and /quote (commands/critic.ts, quote.ts).

	// Members: /rate, /top, /member, /forget-me and their lines (commands/rate.ts, top.ts, member.ts, forget-me.ts, members-render.ts).

	// Measures: /divisive, /compare and the measures' lines (commands/divisive.ts, compare.ts, measures-render.ts).

	// Charts: labels and alt text (src/charts).

	// Option errors (commands/options.ts) and the console's own words (src/console).
} as const satisfies Catalogue;

/** Keys whose Danish text is rightly the English one (a film is a film; a Discord server is a server in Danish too). */
export const SAME_IN_DANISH: ReadonlySet<Key> = new Set<Key>([
	'cmd.reviews.film.name',
	'cmd.quote.random.film.name',
	'cmd.rate.film.name',
	'cmd.top.name',
	'cmd.divisive.kind.choice.server',
	// Danish says positive and negative as English does.
	'reviews.positive',
	'reviews.negative',
	// /critic and /quote.

	// Members.

	// Measures.

	// Charts.

	// Option errors and the console.
]);
