/*
 * The demo's training requests (demo_internal.h): a school year of requests of every kind, in
 * every state of the workflow (domain/request.h), as the académie's requesters, the coordination
 * team, the collectifs' pilots, the inspectors and the trainers would have made them, each step
 * through its use case so that every rule applies.
 *
 * A plan first: the table below says how many requests of each kind end in each state ("path"),
 * and who files them. Each request is drawn in memory (title, theme, details, the days of its
 * steps), and its steps become events dated from the day of the load: filed from the day
 * before it to about half a year before, triaged, forwarded, validated, refused a few days later;
 * answered within five weeks or left waiting past them; actions assigned by two campaign batches
 * (app_campaign_assign), one about eighty days ago for the actions already given (earlier when
 * the summer holidays come between), one twenty days ago for those ahead, so that a request still
 * "validated" today was validated after the last batch. The events then run in date order, each
 * at its own ctx.now, all inside the loader's transaction. What the store decides (which trainers
 * a batch picks, which days their sessions can take) is read back as the events run, so the rows
 * depend on the seed and the day of the load only.
 *
 * Dates: every event falls before the day of the load, at office hours; sessions of finished
 * actions before it, those of scheduled actions after it, on days the trainers are free and
 * outside the zone A school holidays (rules_alp_holiday); ALP IDG sessions in the ALP season of
 * the campaign under way (the next one from mid-April, when too little of it is left), on the
 * days seed 001 allows with academic trainers. ANT requests are filed inside the ANT windows.
 *
 * Some rows are made to show a rule at work: drafts whose submission their rule pack would
 * refuse (drafts keep details as given), an ALP IDG left "assigned" because one of its sessions
 * falls in the holidays, requests past their five-week response deadline. A step the use cases
 * refuse nevertheless (the plan is drawn before the store answers) does not fail the load: the
 * request stops where it is, and stats->requests_stalled counts it.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/demo_internal.h"
#include "app/missions.h"
#include "app/requests.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/campaign.h"
#include "domain/request.h"
#include "domain/rules_alp.h"

#define DAY (24 * 3600)

/* PRNG stream (demo.c uses 1 and 2, demo_placement.c 3 to 6). */
enum { STREAM_REQUESTS = 7 };

/* The two campaign batches, in days from the day of the load (see the file comment; the old one
 * moves back when the summer holidays would leave its actions no school day). */
#define OLD_BATCH_DAY    (-80)
#define RECENT_BATCH_DAY (-20)
/* The last day the sessions of the actions whose hours are validated may take. */
#define OLD_SESSIONS_END (-30)
/* The accounts this phase adds exist this many days before the old batch: before any request. */
#define ACCOUNTS_LEAD 80

#define TITLE_LEN 201
#define MSG_LEN   400

/* ---- data: who acts ---- */

/* The accounts the phase acts as: demo.c's, found by login, then those it adds. */
enum actor {
    ACT_COORD,
    ACT_PILOT,
    ACT_INSPECTOR,
    ACT_CHEF,
    ACT_IEN,
    ACT_PARCOURS,
    ACT_TRAINER,
    ACT_CHEF_LOIRE, /* added: the head of a collège of the Loire */
    ACT_CHEF_AIN,   /* a lycée of the Ain */
    ACT_CHEF_PRO,   /* a lycée professionnel of the Rhône */
    ACT_IEN_LOIRE,  /* the IEN of a circonscription of the Loire */
    ACTORS
};

static const char *const demo_logins[ACT_CHEF_LOIRE] = {
    "coordination", "pilote", "inspecteur", "chef.etab", "ien.circo", "resp.parcours", "formateur",
};

/* The requesters the phase adds. demo.c codes circonscriptions "<site>-<commune>-<n>" and gives
 * Saint-Étienne four at the académie scale; the code is checked against the store before use. */
struct extra_def {
    enum actor actor;
    enum scope_kind scope;
    const char *site;
    enum demo_estab_kind kind, fallback;
    const char *circo;
    const char *function; /* after the name, in the display name */
};

static const struct extra_def extras[] = {
    {ACT_CHEF_LOIRE, SCOPE_ESTABLISHMENT, "loire", DEMO_COLLEGE, DEMO_COLLEGE, NULL,
     "principal de collège"},
    {ACT_CHEF_AIN, SCOPE_ESTABLISHMENT, "ain", DEMO_LYCEE, DEMO_LYCEE_POLYVALENT, NULL,
     "proviseur de lycée"},
    {ACT_CHEF_PRO, SCOPE_ESTABLISHMENT, "rhone", DEMO_LYCEE_PRO, DEMO_LYCEE_POLYVALENT, NULL,
     "proviseur de lycée professionnel"},
    {ACT_IEN_LOIRE, SCOPE_CIRCONSCRIPTION, "loire", DEMO_COLLEGE, DEMO_COLLEGE,
     "loire-saint-etienne-2", "IEN de circonscription"},
};

/* ---- data: the plan ---- */

/* Where a request ends. */
enum path {
    P_DRAFT,               /* a draft in progress */
    P_DRAFT_BROKEN,        /* a draft whose submission its rule pack would refuse */
    P_WITHDRAWN,           /* submitted, then taken back by its filer */
    P_SUBMITTED,           /* waiting to be triaged */
    P_TRIAGED,             /* waiting for a level-1 answer */
    P_FORWARDED,           /* waiting for a collectif (an inspector for an ALD) */
    P_REFUSED,             /* refused at level 1 */
    P_REFUSED_L2,          /* forwarded, refused by a pilot */
    P_VALIDATED,           /* validated at level 1 after the last batch */
    P_VALIDATED_L2,        /* forwarded, validated by a pilot (an inspector for an ALD) */
    P_CANCELLED,           /* validated, then cancelled */
    P_ASSIGNED,            /* recent batch, trainers not answered yet */
    P_ASSIGNED_HALF,       /* recent batch, the first trainer (an ALP's 1D) accepted */
    P_ASSIGNED_DECLINED,   /* recent batch, the trainer declined: a slot to fill again */
    P_ASSIGNED_HOLIDAY,    /* ALP: accepted, sessions set, one in the holidays: not schedulable */
    P_SCHEDULED,           /* recent batch, accepted, sessions ahead */
    P_SCHEDULED_CANCELLED, /* scheduled, then cancelled */
    P_DONE,                /* old batch, sessions past, declared done */
    P_HOURS,               /* old batch, done, hours validated */
    P_MINE_PENDING,        /* assigned to the "formateur" account, waiting for its answer */
    P_MINE_SCHEDULED,      /* "formateur" accepted, sessions ahead */
    P_MINE_HOURS,          /* "formateur" gave it, hours validated */
};

/* How long a request waiting for an answer has waited: past its five-week deadline, due within
 * seven days, or recent. */
enum age { AGE_ANY, AGE_OVERDUE, AGE_SOON, AGE_FRESH };

struct plan_row {
    enum request_kind kind;
    enum path path;
    enum age age;
    enum actor filer;
    int count;
};

#define FIL  REQUEST_KIND_FIL
#define ALP  REQUEST_KIND_ALP_IDG
#define ANT  REQUEST_KIND_ANT
#define ALD  REQUEST_KIND_ALD
#define FI   REQUEST_KIND_FI
#define ENT  REQUEST_KIND_ENT
#define PAF  REQUEST_KIND_PAF
#define PREP REQUEST_KIND_PREP_CONCOURS

/* About ninety requests. The demo account chef.etab files few of them (its list page shows its
 * own requests, twenty a page), and few wait in "submitted" or "validated" (the coordination's
 * queues, twenty a page): a demonstration files new ones and should find them on the first
 * page. No ALP IDG is left "validated": the next campaign batch would take it. */
static const struct plan_row plan[] = {
    {FIL, P_DRAFT, AGE_ANY, ACT_CHEF, 1},
    {FIL, P_DRAFT_BROKEN, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {FIL, P_DRAFT_BROKEN, AGE_ANY, ACT_IEN, 1},
    {FIL, P_WITHDRAWN, AGE_ANY, ACT_CHEF_AIN, 1},
    {FIL, P_WITHDRAWN, AGE_ANY, ACT_IEN_LOIRE, 1},
    {FIL, P_SUBMITTED, AGE_OVERDUE, ACT_CHEF, 1},
    {FIL, P_SUBMITTED, AGE_OVERDUE, ACT_CHEF_PRO, 1},
    {FIL, P_SUBMITTED, AGE_OVERDUE, ACT_CHEF_LOIRE, 1},
    {FIL, P_SUBMITTED, AGE_SOON, ACT_IEN, 1},
    {FIL, P_SUBMITTED, AGE_SOON, ACT_CHEF_AIN, 1},
    {FIL, P_SUBMITTED, AGE_FRESH, ACT_CHEF, 1},
    {FIL, P_SUBMITTED, AGE_FRESH, ACT_IEN_LOIRE, 1},
    {FIL, P_SUBMITTED, AGE_FRESH, ACT_CHEF_LOIRE, 1},
    {FIL, P_TRIAGED, AGE_OVERDUE, ACT_IEN, 1},
    {FIL, P_TRIAGED, AGE_OVERDUE, ACT_CHEF_PRO, 1},
    {FIL, P_TRIAGED, AGE_FRESH, ACT_IEN_LOIRE, 1},
    {FIL, P_TRIAGED, AGE_FRESH, ACT_CHEF, 1},
    {FIL, P_FORWARDED, AGE_OVERDUE, ACT_CHEF_AIN, 1},
    {FIL, P_FORWARDED, AGE_FRESH, ACT_IEN, 1},
    {FIL, P_REFUSED, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {FIL, P_REFUSED, AGE_ANY, ACT_CHEF_PRO, 1},
    {FIL, P_REFUSED_L2, AGE_ANY, ACT_IEN_LOIRE, 1},
    {FIL, P_VALIDATED, AGE_ANY, ACT_CHEF, 1},
    {FIL, P_VALIDATED, AGE_ANY, ACT_CHEF_AIN, 1},
    {FIL, P_VALIDATED, AGE_ANY, ACT_IEN_LOIRE, 1},
    {FIL, P_VALIDATED_L2, AGE_ANY, ACT_IEN, 1},
    {FIL, P_CANCELLED, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {FIL, P_ASSIGNED, AGE_ANY, ACT_CHEF_PRO, 1},
    {FIL, P_ASSIGNED, AGE_ANY, ACT_IEN, 1},
    {FIL, P_ASSIGNED_DECLINED, AGE_ANY, ACT_CHEF_AIN, 1},
    {FIL, P_SCHEDULED, AGE_ANY, ACT_CHEF, 1},
    {FIL, P_SCHEDULED, AGE_ANY, ACT_IEN, 1},
    {FIL, P_SCHEDULED, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {FIL, P_SCHEDULED, AGE_ANY, ACT_IEN_LOIRE, 1},
    {FIL, P_DONE, AGE_ANY, ACT_CHEF_PRO, 1},
    {FIL, P_DONE, AGE_ANY, ACT_IEN, 1},
    {FIL, P_HOURS, AGE_ANY, ACT_CHEF, 1},
    {FIL, P_HOURS, AGE_ANY, ACT_CHEF_AIN, 1},
    {FIL, P_HOURS, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {FIL, P_HOURS, AGE_ANY, ACT_IEN_LOIRE, 1},
    {FIL, P_MINE_PENDING, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {FIL, P_MINE_SCHEDULED, AGE_ANY, ACT_IEN_LOIRE, 1},
    {FIL, P_MINE_HOURS, AGE_ANY, ACT_CHEF_AIN, 1},

    {ALP, P_DRAFT, AGE_ANY, ACT_IEN, 1},
    {ALP, P_DRAFT_BROKEN, AGE_ANY, ACT_CHEF, 1},
    {ALP, P_SUBMITTED, AGE_OVERDUE, ACT_IEN_LOIRE, 1},
    {ALP, P_SUBMITTED, AGE_FRESH, ACT_CHEF, 1},
    {ALP, P_TRIAGED, AGE_SOON, ACT_IEN, 1},
    {ALP, P_FORWARDED, AGE_FRESH, ACT_CHEF_LOIRE, 1},
    {ALP, P_REFUSED_L2, AGE_ANY, ACT_IEN, 1},
    {ALP, P_ASSIGNED, AGE_ANY, ACT_IEN_LOIRE, 1},
    {ALP, P_ASSIGNED_HALF, AGE_ANY, ACT_CHEF, 1},
    {ALP, P_ASSIGNED_HOLIDAY, AGE_ANY, ACT_IEN, 1},
    {ALP, P_SCHEDULED, AGE_ANY, ACT_CHEF, 1},
    {ALP, P_SCHEDULED, AGE_ANY, ACT_IEN, 1},
    {ALP, P_SCHEDULED, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {ALP, P_SCHEDULED_CANCELLED, AGE_ANY, ACT_IEN_LOIRE, 1},

    {ANT, P_DRAFT_BROKEN, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {ANT, P_SUBMITTED, AGE_FRESH, ACT_CHEF_AIN, 1},
    {ANT, P_TRIAGED, AGE_OVERDUE, ACT_CHEF_PRO, 1},
    {ANT, P_VALIDATED, AGE_ANY, ACT_CHEF_LOIRE, 1},
    {ANT, P_ASSIGNED, AGE_ANY, ACT_CHEF_AIN, 1},
    {ANT, P_SCHEDULED, AGE_ANY, ACT_CHEF, 1},
    {ANT, P_WITHDRAWN, AGE_ANY, ACT_CHEF_PRO, 1},

    {ALD, P_SUBMITTED, AGE_SOON, ACT_INSPECTOR, 1},
    {ALD, P_TRIAGED, AGE_FRESH, ACT_INSPECTOR, 1},
    {ALD, P_FORWARDED, AGE_OVERDUE, ACT_INSPECTOR, 1},
    {ALD, P_FORWARDED, AGE_FRESH, ACT_INSPECTOR, 1},
    {ALD, P_FORWARDED, AGE_FRESH, ACT_TRAINER, 1}, /* an offer of the "formateur" account */
    {ALD, P_VALIDATED_L2, AGE_ANY, ACT_INSPECTOR, 1},
    {ALD, P_REFUSED_L2, AGE_ANY, ACT_INSPECTOR, 1},
    {ALD, P_HOURS, AGE_ANY, ACT_INSPECTOR, 1},

    {FI, P_SUBMITTED, AGE_FRESH, ACT_PARCOURS, 1},
    {FI, P_TRIAGED, AGE_SOON, ACT_PARCOURS, 1},
    {FI, P_VALIDATED, AGE_ANY, ACT_PARCOURS, 1},
    {FI, P_CANCELLED, AGE_ANY, ACT_PARCOURS, 1},
    {FI, P_SCHEDULED, AGE_ANY, ACT_PARCOURS, 1},
    {FI, P_HOURS, AGE_ANY, ACT_PARCOURS, 1},

    {ENT, P_DRAFT_BROKEN, AGE_ANY, ACT_CHEF_AIN, 1},
    {ENT, P_SUBMITTED, AGE_OVERDUE, ACT_CHEF_PRO, 1},
    {ENT, P_TRIAGED, AGE_FRESH, ACT_CHEF_LOIRE, 1},
    {ENT, P_REFUSED, AGE_ANY, ACT_CHEF_AIN, 1},

    {PAF, P_DRAFT, AGE_ANY, ACT_COORD, 1},
    {PAF, P_VALIDATED, AGE_ANY, ACT_COORD, 1},
    {PAF, P_SCHEDULED, AGE_ANY, ACT_COORD, 1},
    {PAF, P_DONE, AGE_ANY, ACT_COORD, 1},
    {PAF, P_HOURS, AGE_ANY, ACT_COORD, 2},

    {PREP, P_VALIDATED, AGE_ANY, ACT_COORD, 1},
    {PREP, P_SCHEDULED, AGE_ANY, ACT_COORD, 1},
    {PREP, P_HOURS, AGE_ANY, ACT_COORD, 1},
};

/* ---- data: what the requests are about ----
 * Each theme quotes a label of demo.c's competence referential, so that the proposals
 * (app/missions.h) find trainers for it. School bullying is left out on purpose: the HTTP tests
 * of missions file their own ALP IDG on it and expect its best trainers to be free. */

/* FIL topics: for the first degree (an IEN's), the second (a head of establishment's), both. */
enum { AUD_1D = 1, AUD_2D = 2, AUD_ALL = 3 };

struct topic {
    const char *title, *text;
    unsigned audience;
};

static const struct topic fil_topics[] = {
    {"Consolider les apprentissages en CP et CE1 dédoublés",
     "Classes dédoublées de CP et de CE1 : organiser les groupes et consolider la lecture.",
     AUD_1D},
    {"Accueillir les enfants de moins de trois ans",
     "Scolarisation des moins de trois ans : accueil, rythmes et premiers apprentissages.", AUD_1D},
    {"Faire parler chaque élève en maternelle",
     "Langage oral en maternelle : faire parler chaque élève en petits groupes.", AUD_1D},
    {"Bouger chaque jour à l’école",
     "Trente minutes d’activité physique quotidienne : des idées simples pour toutes les classes.",
     AUD_1D},
    {"Les familles, partenaires des écoles du réseau",
     "Relations avec les familles : les associer aux apprentissages dans les écoles du réseau.",
     AUD_1D},
    {"Discuter pour penser au cycle 3",
     "Philosophie pour enfants : conduire une discussion à visée philosophique en classe.", AUD_1D},
    {"Exploiter les évaluations de la circonscription",
     "Évaluations nationales et pilotage pédagogique : analyser les résultats des écoles.", AUD_1D},
    {"Construire le nombre en maternelle",
     "Construction du nombre en maternelle : jeux, manipulations et progressions.", AUD_1D},
    {"Jouer pour apprendre en maternelle",
     "Jeu et apprentissages : la place du jeu libre et du jeu structuré en maternelle.", AUD_1D},
    {"L’anglais dès le cycle 2", "Enseignement précoce de l’anglais : rituels et oral au cycle 2.",
     AUD_1D},
    {"Organiser le cycle de natation",
     "Savoir nager : organiser le cycle de natation avec les intervenants agréés.", AUD_1D},
    {"La rentrée des tout-petits",
     "Accueil des tout-petits et des familles : préparer la rentrée en petite section.", AUD_1D},
    {"Différencier pour inclure tous les élèves",
     "Pédagogie différenciée et inclusion : adapter les supports pour les élèves à besoins "
     "particuliers.",
     AUD_2D},
    {"Troubles des apprentissages : repérer et adapter",
     "Troubles des apprentissages (dys, TDAH) : repérer les signes et aménager les évaluations.",
     AUD_2D},
    {"Travailler avec les AESH",
     "Coopération avec les AESH et le secteur médico-social autour des élèves en situation de "
     "handicap.",
     AUD_2D},
    {"L’ENT au service du suivi des élèves",
     "Usages pédagogiques de l’ENT : cahier de textes, ressources et suivi des élèves.", AUD_2D},
    {"Intelligence artificielle : enjeux pour la classe",
     "Intelligence artificielle en éducation : usages, limites et éthique pour les enseignants.",
     AUD_2D},
    {"Protéger les données des élèves",
     "Citoyenneté numérique et protection des données : règles et bons usages en établissement.",
     AUD_2D},
    {"Former des élèves médiateurs",
     "Gestion des conflits et médiation entre pairs : former des élèves médiateurs.", AUD_2D},
    {"Le bien-être des élèves au collège",
     "Bien-être et santé des élèves : repérer les fragilités, travailler avec l’infirmerie.",
     AUD_2D},
    {"Repérer tôt les élèves qui décrochent",
     "Prévention du décrochage scolaire : repérer tôt et accompagner les élèves.", AUD_2D},
    {"Construire le parcours Avenir",
     "Parcours Avenir et découverte des métiers : construire les séquences de l’année.", AUD_2D},
    {"Entraîner les élèves à l’oral final",
     "Préparation au Grand oral : entraîner les élèves à l’oral argumenté.", AUD_2D},
    {"Faire vivre le label E3D",
     "Éco-délégués et labellisation E3D : faire vivre le projet de l’établissement.", AUD_2D},
    {"Choisir son orientation sans stéréotypes",
     "Stéréotypes de genre et orientation : déconstruire les représentations des élèves.", AUD_2D},
    {"Accompagner les nouveaux collègues",
     "Accompagnement des néo-titulaires (T1 à T6) : analyse de pratiques et tutorat.", AUD_2D},
    {"Poser le cadre dès la rentrée",
     "Autorité et posture enseignante : tenir la classe et poser le cadre dès la rentrée.", AUD_2D},
    {"Élèves à haut potentiel : les repérer, les accompagner",
     "Élèves à haut potentiel : repérage et accompagnement personnalisé.", AUD_2D},
    {"Construire les séances d’éducation à la sexualité",
     "Éducation à la sexualité : construire les trois séances annuelles.", AUD_2D},
    {"Préparer la co-intervention",
     "Co-intervention : préparer les séances entre professeurs d’enseignement général et "
     "professionnel.",
     AUD_2D},
    {"Évaluer pour faire progresser",
     "Évaluation par compétences : construire des grilles communes en équipe.", AUD_2D},
    {"Exploiter les tests de positionnement",
     "Tests de positionnement et livret scolaire : exploiter les résultats en équipe.", AUD_2D},
    {"Agir contre les discriminations",
     "Lutte contre le racisme et les discriminations : réagir aux propos et aux actes.", AUD_2D},
    {"Des projets citoyens en EMC",
     "Enseignement moral et civique : conduire des projets citoyens avec les élèves.", AUD_2D},
    {"Repérer les signaux de radicalisation",
     "Prévention de la radicalisation : repérer les signaux et savoir à qui s’adresser.", AUD_2D},
    {"Une politique documentaire pour le CDI",
     "Politique documentaire du CDI : acquisitions, usages et promotion de la lecture.", AUD_2D},
    {"Accompagner les élus lycéens",
     "Instances lycéennes et citoyenneté : accompagner les élus du conseil de vie lycéenne.",
     AUD_2D},
    {"Prévenir l’absentéisme",
     "Suivi de l’assiduité : prévenir l’absentéisme avec la vie scolaire.", AUD_2D},
    {"L’internat, un lieu pour apprendre",
     "Internat et vie collective : études encadrées et projets du soir.", AUD_2D},
    {"Budget et consommation responsable",
     "Éducation financière : budget, crédit et consommation responsable.", AUD_2D},
    {"Une mini-entreprise au lycée professionnel",
     "Entrepreneuriat et mini-entreprises : conduire un projet avec les élèves.", AUD_2D},
    {"Préparer et suivre les PFMP",
     "Périodes de formation en milieu professionnel : préparer et suivre les élèves.", AUD_2D},
    {"Explorer le monde en maternelle",
     "Explorer le monde : premières démarches scientifiques en maternelle.", AUD_1D},
    {"Une chorale dans chaque école",
     "Éducation musicale et chant choral : monter une chorale d’école.", AUD_1D},
    {"Construire le parcours artistique des élèves",
     "Parcours d’éducation artistique et culturelle : partenaires et projets de l’école.", AUD_1D},
    {"Harmoniser les pratiques entre CM2 et 6e",
     "Liaison école-collège : harmoniser les pratiques entre CM2 et 6e.", AUD_ALL},
    {"Apprendre à coopérer", "Coopération entre élèves : travail de groupe et tutorat entre pairs.",
     AUD_ALL},
    {"Lire à voix haute chaque jour",
     "Lecture à voix haute : une pratique quotidienne dans toutes les classes.", AUD_ALL},
    {"Partager la cour de récréation",
     "Mixité et partage des espaces scolaires : repenser la cour et les récréations.", AUD_ALL},
};

/* The FIL that breaks fil.scope: a disciplinary need is an ALD's. */
static const struct topic fil_disciplinary = {
    "Grammaire et étude de la langue en 4e",
    "Grammaire et étude de la langue : reprendre la progression de français du cycle 4.", AUD_2D};

struct alp_topic {
    const char *title, *theme;
    bool eabep, ep;
    const char *orientation; /* required in éducation prioritaire */
};

static const struct alp_topic alp_topics[] = {
    {"Fluidité des parcours du CM1 à la 6e",
     "Liaison école-collège : continuité des apprentissages du CM1 à la 6e", false, true,
     "fluidite_parcours"},
    {"Résoudre des problèmes du CM1 à la 6e",
     "Résolution de problèmes : une progression commune à l’école et au collège", false, false,
     NULL},
    {"Différencier pour les élèves à besoins particuliers",
     "Pédagogie différenciée et inclusion des élèves à besoins éducatifs particuliers", true, true,
     "pratiques_inclusives"},
    {"Fractions et décimaux au cycle 3",
     "Nombres, fractions et décimaux : continuité entre l’école et le collège", false, false, NULL},
    {"Comprendre les textes au cycle 3",
     "Compréhension de l’écrit : enseigner les stratégies de lecture du CM1 à la 6e", false, false,
     NULL},
    {"Débattre pour apprendre", "Oral réflexif et débat argumenté au cycle 3", false, false, NULL},
    {"Prévenir le décrochage dès le cycle 3",
     "Prévention du décrochage scolaire : repérer les élèves fragiles à l’entrée au collège", false,
     true, "grande_difficulte"},
    {"Écrire dans toutes les disciplines",
     "Production d’écrits : écrire dans toutes les disciplines au cycle 3", false, false, NULL},
    {"Investiguer en sciences du CM1 à la 6e",
     "Démarche d’investigation : sciences et technologie du CM1 à la 6e", false, false, NULL},
    {"Mesurer et estimer au cycle 3", "Grandeurs et mesures : manipuler et estimer du CM1 à la 6e",
     false, false, NULL},
    {"Des rituels communs d’orthographe",
     "Vocabulaire et orthographe : des rituels communs à l’école et au collège", false, false,
     NULL},
    {"Le travail personnel de l’élève",
     "Accompagnement personnalisé et travail personnel de l’élève", false, true,
     "travail_personnel"},
    {"Troubles des apprentissages au cycle 3",
     "Troubles des apprentissages (dys, TDAH) : des aménagements partagés école-collège", true,
     false, NULL},
    {"Géométrie du CM1 à la 6e", "Géométrie et espace : instruments et raisonnement du CM1 à la 6e",
     false, false, NULL},
};

static const struct topic ant_topics[] = {
    {"Une culture commune en REP+",
     "Travail en réseau REP et REP+ : une culture commune école-collège", 0},
    {"Les familles au collège", "Relations avec les familles : rencontres et mallette des parents",
     0},
    {"Coopérer en classe", "Coopération entre élèves : îlots et tutorat", 0},
    {"Raccrocher les élèves décrocheurs",
     "Prévention du décrochage scolaire : un dispositif d’établissement", 0},
    {"Évaluer autrement", "Évaluation par compétences : un projet d’équipe", 0},
    {"Vivre ensemble dans la cour", "Mixité et partage des espaces scolaires", 0},
    {"Un cadre commun pour la classe", "Autorité et posture enseignante : un cadre commun", 0},
};

struct ald_topic {
    const char *title, *discipline, *theme, *public, *objectives;
};

static const struct ald_topic ald_topics[] = {
    {"Géométrie dynamique au collège", "Mathématiques",
     "Géométrie et espace : la géométrie dynamique de la 6e à la 3e",
     "professeurs de mathématiques du collège",
     "Construire des séquences avec un logiciel de géométrie dynamique."},
    {"Probabilités et statistiques avec des données réelles", "Mathématiques",
     "Probabilités et statistiques : enseigner avec des données réelles",
     "professeurs de mathématiques du lycée", "Exploiter des jeux de données ouverts en classe."},
    {"La tâche finale en anglais", "Anglais", "Approche actionnelle et tâche finale au cycle 4",
     "professeurs d’anglais du collège", "Concevoir des séquences autour d’une tâche finale."},
    {"Croquis de géographie au lycée", "Histoire-géographie", "Croquis et cartographie au lycée",
     "professeurs d’histoire-géographie du lycée", "Entraîner les élèves au croquis et au schéma."},
    {"Le commentaire à l’épreuve anticipée", "Lettres",
     "Préparation à l’épreuve anticipée de français : le commentaire",
     "professeurs de lettres du lycée", "Harmoniser la préparation au commentaire littéraire."},
    {"Projets Python en première NSI", "NSI", "Programmation en Python : projets en première NSI",
     "professeurs de NSI", "Conduire des projets de programmation en équipe."},
    {"Expérimenter en sécurité", "Physique-chimie",
     "Physique-chimie expérimentale : sécurité au laboratoire et démarche",
     "professeurs de physique-chimie", "Revoir les règles de sécurité et les protocoles."},
    {"Enseigner l’évolution", "SVT", "Le vivant et son évolution : enseigner l’évolution au lycée",
     "professeurs de SVT du lycée", "Actualiser les connaissances et les activités."},
};

struct kind_topic {
    const char *dispositif, *title, *theme;
};

static const struct kind_topic fi_topics[] = {
    {"fi_meef", "M1 MEEF PE : poser son autorité en stage",
     "Autorité et posture enseignante : premiers pas en stage"},
    {"fi_meef", "M2 MEEF PE : le nombre en maternelle", "Construction du nombre en maternelle"},
    {"fi_meef", "M1 MEEF PE : littérature de jeunesse",
     "Littérature de jeunesse : choisir et exploiter les albums"},
    {"fi_meef", "M2 MEEF PE : l’élève en situation de handicap",
     "Scolarisation des élèves en situation de handicap"},
    {"fi_meef", "M2 MEEF PE : analyse de pratiques",
     "Analyse de pratiques professionnelles en stage filé"},
    {"fi_meef", "M1 MEEF PE : apprendre à lire au CP",
     "Lecture-écriture au cycle 2 : apprendre à lire au CP"},
    {"fi_du", "DU parcours adapté : gérer les conflits",
     "Gestion des conflits et médiation entre pairs"},
};

static const struct kind_topic paf_topics[] = {
    {"distance", "Former à distance : classe virtuelle et parcours hybrides",
     "Classe virtuelle et formation hybride : concevoir un parcours à distance"},
    {"entrants", "Entrée dans le métier : les néo-titulaires",
     "Accompagnement des néo-titulaires (T1 à T6)"},
    {"stagiaires", "Tuteurs de stagiaires : le premier entretien",
     "Tutorat et accompagnement des stagiaires"},
    {"innovation", "Innover avec la recherche", "Méthodologie de la recherche collaborative"},
    {"paf_enseignants", "Mémoriser et comprendre : apports des sciences cognitives",
     "Sciences cognitives et apprentissages"},
    {"academiques_1d", "Savoir nager : former les encadrants",
     "Savoir nager : encadrement et sécurité"},
};

static const struct kind_topic prep_topics[] = {
    {"certifications", "Préparation au CAFIPEMF et au CAFFA",
     "Préparation au CAFIPEMF et au CAFFA"},
    {"certifications", "Certification complémentaire DNL",
     "Sections européennes et DNL : préparer la certification complémentaire"},
    {"concours_internes", "Concours internes : le dossier RAEP",
     "Analyse de pratiques professionnelles pour le dossier RAEP"},
};

static const struct topic ent_topics[] = {
    {"Déployer l’ENT au collège", "Usages pédagogiques de l’ENT", 0},
    {"Classes virtuelles sur l’ENT", "Classe virtuelle et formation hybride", 0},
    {"ENT : cahier de textes et vie scolaire", "Usages pédagogiques de l’ENT", 0},
    {"ENT du lycée : accueillir les nouveaux collègues", "Usages pédagogiques de l’ENT", 0},
};

/* ---- data: words of the workflow ---- */

static const char *const refusal_reasons[] = {
    "Besoin à reformuler : préciser le public et les objectifs attendus.",
    "Action déjà programmée au plan académique de formation : inscrire l’équipe au stage "
    "existant.",
    "Effectif insuffisant : regrouper la demande avec l’établissement voisin.",
};
static const char *const pilot_refusals[] = {
    "Le collectif ne peut pas constituer d’équipe de formateurs sur ce thème cette année.",
    "Hors du périmètre du collectif : demande réorientée vers le plan académique de formation.",
};
static const char *const cancel_reasons[] = {
    "Formateurs indisponibles aux dates retenues : action reportée.",
    "Remplacement des enseignants impossible aux dates prévues.",
    "Fermeture de l’établissement pour travaux : action reportée au trimestre suivant.",
};
static const char *const decline_reasons[] = {
    "Indisponible : jury de concours à ces dates.",
    "Quota d’heures déjà engagé sur d’autres actions cette année.",
    "Hors de mon champ d’intervention cette année.",
};

static const char *const publics_1d[] = {
    "professeurs des écoles de la circonscription",
    "équipes des écoles du secteur",
    "professeurs des écoles des cycles 1 et 2",
};
static const char *const publics_2d[] = {
    "équipe pédagogique de l’établissement",
    "professeurs principaux et CPE",
    "équipe pluricatégorielle de l’établissement",
};
static const char *const team_functions[] = {
    "professeure de lettres",     "professeur de mathématiques",      "CPE",
    "professeure documentaliste", "professeur d’histoire-géographie", "infirmière scolaire",
};
static const char *const inspe_places[] = {
    "Inspé — site de la Croix-Rousse, Lyon",
    "Inspé — site de Saint-Étienne",
    "Inspé — site de Bourg-en-Bresse",
};

/* ---- the phase ---- */

/* One request being written. */
struct rq {
    enum request_kind kind;
    enum path path;
    enum actor filer;
    int cohort; /* 0, or the batch day that assigns it */
    char title[TITLE_LEN];
    const char *description;
    const char *dispositif; /* NULL: the kind's first */
    json_t *details;        /* owned */
    int hours;
    const char *reason;   /* of its refusal, cancellation or declined mission */
    const char *place;    /* of its sessions; "" for a virtual class */
    int sess_lo, sess_hi; /* days its sessions may take (all kinds but ALP) */
    int nalp;             /* an ALP's sessions, as asked for */
    int alp_day[4];
    int alp_start[4], alp_end[4]; /* minutes */
    /* as written */
    int64_t id;
    enum request_state state;
    int64_t submitted_at;
    int year; /* the campaign its trainers' hours count in */
    bool stalled;
};

enum step { E_CREATE, E_MOVE, E_BATCH, E_ASSIGN_MINE, E_ANSWER, E_SESSIONS };
enum { ANS_ALL, ANS_FIRST, ANS_DECLINE };

struct event {
    int64_t at;
    int seq;
    int rq; /* -1 for a batch */
    enum step step;
    int arg;  /* E_CREATE: submit; E_MOVE: the state; E_BATCH: the kind; E_ANSWER, E_SESSIONS */
    int arg2; /* E_BATCH: the cohort */
};

struct phase {
    const struct demo_requests_env *env;
    struct app_ctx ctx;
    struct rng r;
    int64_t today;       /* 00:00 Paris, the day of the load */
    int old_batch;       /* the day of the old batch */
    int old_end;         /* the last day of its actions' sessions */
    struct campaign alp; /* the campaign whose ALP season the sessions take */
    struct user actors[ACTORS];
    bool has[ACTORS];
    const char *uai_of[ACTORS]; /* the establishment behind each head's account */
    struct trainer mine;        /* the trainer of the "formateur" account */
    char mine_code[65], mine_label[201], mine_discipline[101];
    bool mine_university; /* may propose an ALD offer */
    struct rq *rqs;
    int nrqs;
    struct event *ev;
    int nev, capev;
    int cursor[REQUEST_KIND_COUNT]; /* next topic of each kind */
    int fil_cursor[4];              /* next FIL topic per audience */
    bool fil_used[NELEM(fil_topics)];
    char pwhash[160];
    bool hashed;
    struct buf scratch, fold;
    struct field_errors errs;
    struct rule_report rules;
    char msg[MSG_LEN];
};

/* ---- helpers ---- */

/* Formats into dst (n bytes). A text that does not fit is cut at a character boundary: titles
 * and names of this file's tables fit; a long competence label shortens a title, a long message
 * a note, which stay valid UTF-8. */
static void vset_fmt(char *dst, size_t n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void vset_fmt(char *dst, size_t n, const char *fmt, va_list ap)
{
    int k = vsnprintf(dst, n, fmt, ap);
    if (k < 0) {
        dst[0] = '\0';
        return;
    }
    size_t len = strlen(dst);
    while (len > 0 && (size_t)k >= n && !utf8_valid(dst, len))
        dst[--len] = '\0'; /* at most the three bytes of a cut character */
}

__attribute__((format(printf, 3, 4))) static void set_fmt(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_fmt(dst, n, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void fail_msg(struct phase *p, const char *fmt, ...)
{
    struct demo_stats *s = p->env->stats;
    if (s->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vset_fmt(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
}

/* Is rc a use case's refusal (the request stops there) rather than a failure of the load? */
static bool refusal(int rc)
{
    return rc == ERR_INVAL || rc == ERR_CONFLICT || rc == ERR_DENIED || rc == ERR_NOTFOUND;
}

/* A step of r was refused: r stops where it is. What refused it goes to the note once. */
static void stall(struct phase *p, struct rq *r, const char *what)
{
    struct demo_stats *s = p->env->stats;
    r->stalled = true;
    s->requests_stalled++;
    if (s->requests_note[0])
        return;
    const char *why = p->msg[0]            ? p->msg
                      : p->rules.count > 0 ? p->rules.items[0].detail
                      : p->errs.count > 0  ? p->errs.items[0].message
                                           : "refus sans motif";
    set_fmt(s->requests_note, sizeof s->requests_note, "« %s » : %s : %s", r->title, what, why);
}

/* Ends a step: 0 after a refusal (r stalled), rc after a failure of the load. */
static int step_end(struct phase *p, struct rq *r, int rc, const char *what)
{
    if (rc == 0)
        return 0;
    if (refusal(rc)) {
        stall(p, r, what);
        return 0;
    }
    fail_msg(p, "demande « %s » : %s : échec (%s)", r->title, what, err_name(rc));
    return rc;
}

static void reset_reports(struct phase *p)
{
    memset(&p->errs, 0, sizeof p->errs);
    rule_report_init(&p->rules);
    p->msg[0] = '\0';
}

/* ---- days ---- */

struct day {
    int y, m, d;
    int wd;           /* ISO weekday, 1 = Monday */
    int64_t midnight; /* 00:00 Paris */
};

/* The day `offset` days from the day of the load (0 is that day). Through timeutil's formatter
 * and parser, the one place that knows the calendar and the summer time. */
static int day_at(struct phase *p, int offset, struct day *out)
{
    int64_t noon = p->today + (int64_t)offset * DAY + 12 * 3600;
    buf_reset(&p->scratch);
    int rc = time_format_date(noon, &p->scratch); /* JJ/MM/AAAA */
    if (rc)
        return rc;
    const char *s = p->scratch.data;
    if (p->scratch.len != 10)
        return ERR_INVAL;
    out->d = (s[0] - '0') * 10 + (s[1] - '0');
    out->m = (s[3] - '0') * 10 + (s[4] - '0');
    out->y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    rc = time_parse_date(s, 10, &out->midnight);
    out->wd = time_weekday(noon);
    return rc;
}

/* The instant of `minute` (since midnight) on day `offset`; on a failure of the calendar (out of
 * its years: never for a load in this millennium), the plain count of seconds. */
static int64_t at_time(struct phase *p, int offset, int minute)
{
    struct day d;
    if (day_at(p, offset, &d) != 0)
        d.midnight = p->today + (int64_t)offset * DAY;
    return d.midnight + (int64_t)minute * 60;
}

/* A time of office hours, 08:30 to 17:30. */
static int office_minute(struct phase *p)
{
    return 8 * 60 + 30 + rng_below(&p->r, 9 * 60);
}

/* "2027-01-12" of day `offset` into out (11 bytes). */
static void iso_date(const struct day *d, char *out, size_t n)
{
    set_fmt(out, n, "%04d-%02d-%02d", d->y, d->m, d->d);
}

/* ---- accounts ---- */

/* The shared hash of the accounts this phase adds: one argon2id hash (25 ms and more) per
 * account would add a second to a load whose whole budget is about that, for accounts that all
 * have the documented password anyway; demo.c's own accounts keep a salt each. */
static int password_hash(struct phase *p)
{
    if (p->hashed)
        return 0;
    int rc = app_password_hash(DEMO_PASSWORD, p->pwhash, sizeof p->pwhash);
    if (rc) {
        fail_msg(p, "hachage des mots de passe impossible");
        return rc;
    }
    p->hashed = true;
    return 0;
}

/* Adds an account with the login "prenom.nom" (then "prenom.nom2"…) made of first and last, as
 * app_user_add would (same audit entry), at instant now. u holds the rest; its login and id are
 * set. */
static int add_account(struct phase *p, struct user *u, const char *first, const char *last,
                       int64_t now)
{
    int rc = password_hash(p);
    if (rc)
        return rc;
    char fp[64], lp[64];
    demo_email_part(&p->fold, first, fp, sizeof fp);
    demo_email_part(&p->fold, last, lp, sizeof lp);
    int64_t id = 0;
    rc = ERR_EXISTS;
    for (int k = 1; rc == ERR_EXISTS && k < 100; k++) {
        if (k == 1)
            set_fmt(u->login, sizeof u->login, "%.30s.%.30s", fp, lp);
        else
            set_fmt(u->login, sizeof u->login, "%.30s.%.30s%d", fp, lp, k);
        rc = store_user_add(p->ctx.st, u, p->pwhash, now, &id);
    }
    if (rc == 0) {
        struct app_ctx c = p->ctx;
        c.now = now;
        json_t *after = json_pack("{ss ss ss ss ss}", "login", u->login, "name", u->display_name,
                                  "role", role_code(u->role), "scope_kind",
                                  scope_code(u->scope_kind), "scope_value", u->scope_value);
        rc = after ? app_audit(&c, "user.add", "user", id, NULL, after) : ERR_NOMEM;
    }
    if (rc) {
        fail_msg(p, "compte « %s » : écriture impossible (%s)", u->login, err_name(rc));
        return rc;
    }
    u->id = id;
    p->env->stats->request_accounts++;
    return 0;
}

/* The account of a trainer asked for a mission: the one linked to it, else a new one. */
static int trainer_account(struct phase *p, int64_t trainer_id, int64_t now, struct user *u)
{
    int64_t uid = 0;
    int rc = store_trainer_user(p->ctx.st, trainer_id, &uid);
    if (rc == 0 && uid)
        rc = store_user_get(p->ctx.st, uid, u);
    if (rc == 0 && uid)
        return 0;
    struct trainer t;
    if (rc == 0)
        rc = store_trainer_load(p->ctx.st, trainer_id, &t);
    if (rc) {
        fail_msg(p, "formateur n° %lld illisible", (long long)trainer_id);
        return rc;
    }
    memset(u, 0, sizeof *u);
    set_fmt(u->display_name, sizeof u->display_name, "%s %s", t.first_name, t.last_name);
    u->role = ROLE_TRAINER;
    u->scope_kind = SCOPE_SELF;
    u->trainer_id = trainer_id;
    return add_account(p, u, t.first_name, t.last_name, now);
}

/* The first establishment of that kind and site (any site when none), or NULL. */
static const char *find_estab(const struct demo_requests_env *env, const char *site,
                              enum demo_estab_kind kind, int skip)
{
    for (int pass = 0; pass < 2; pass++)
        for (int e = 0; e < env->nestabs; e++) {
            const struct demo_establishment *es = &env->estabs[e];
            if (es->kind == kind && (pass == 1 || strcmp(es->site, site) == 0) && skip-- <= 0)
                return es->uai;
        }
    return NULL;
}

/* demo.c's accounts, and the requesters this phase adds (whose names come from its stream). */
static int load_actors(struct phase *p)
{
    const struct demo_stats *s = p->env->stats;
    for (int a = 0; a < ACT_CHEF_LOIRE; a++) {
        for (int i = 0; i < s->accounts_count && !p->has[a]; i++)
            if (strcmp(s->accounts[i].login, demo_logins[a]) == 0 &&
                store_user_get(p->ctx.st, s->accounts[i].id, &p->actors[a]) == 0)
                p->has[a] = true;
        if (!p->has[a]) {
            fail_msg(p, "compte de démonstration « %s » introuvable", demo_logins[a]);
            return ERR_NOTFOUND;
        }
    }
    p->uai_of[ACT_CHEF] = p->actors[ACT_CHEF].scope_value;
    int64_t now = at_time(p, p->old_batch - ACCOUNTS_LEAD, 9 * 60);
    for (size_t i = 0; i < NELEM(extras); i++) {
        const struct extra_def *x = &extras[i];
        struct user *u = &p->actors[x->actor];
        memset(u, 0, sizeof *u);
        u->role = ROLE_REQUESTER;
        u->scope_kind = x->scope;
        const char *scope = x->circo;
        if (x->scope == SCOPE_ESTABLISHMENT) {
            scope = find_estab(p->env, x->site, x->kind, 0);
            if (!scope)
                scope = find_estab(p->env, x->site, x->fallback, 0);
        }
        char site[16], kind[16];
        if (!scope || store_locate(p->ctx.st, x->scope == SCOPE_ESTABLISHMENT ? scope : NULL,
                                   x->scope == SCOPE_CIRCONSCRIPTION ? scope : NULL, site,
                                   sizeof site, kind, sizeof kind) != 0)
            continue; /* its requests go to demo.c's account of the same kind */
        set_fmt(u->scope_value, sizeof u->scope_value, "%s", scope);
        const char *first = demo_first_names[rng_below(&p->r, demo_first_names_count)];
        const char *last = demo_last_names[rng_below(&p->r, demo_last_names_count)];
        set_fmt(u->display_name, sizeof u->display_name, "%s %s (%s)", first, last, x->function);
        int rc = add_account(p, u, first, last, now);
        if (rc)
            return rc;
        p->has[x->actor] = true;
        if (x->scope == SCOPE_ESTABLISHMENT)
            p->uai_of[x->actor] = u->scope_value;
    }
    return 0;
}

/* The filer a plan row names, or demo.c's account of the same kind when it could not be added. */
static enum actor filer_of(const struct phase *p, enum actor a)
{
    if (p->has[a])
        return a;
    return a == ACT_IEN_LOIRE ? ACT_IEN : ACT_CHEF;
}

/* The trainer of the "formateur" account and its first validated competence. */
static int load_mine(struct phase *p)
{
    int64_t tid = p->env->stats->demo_trainer_id;
    json_t *t = NULL;
    int rc = store_trainer_load(p->ctx.st, tid, &p->mine);
    if (rc == 0)
        rc = store_trainer_get(p->ctx.st, tid, &t);
    if (rc) {
        fail_msg(p, "formateur n° %lld illisible", (long long)tid);
        return rc;
    }
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(t, "competences"), i, c)
    {
        const char *state = json_string_value(json_object_get(c, "state"));
        if (!p->mine_code[0] && state && strcmp(state, "validated") == 0) {
            set_fmt(p->mine_code, sizeof p->mine_code, "%s",
                    json_string_value(json_object_get(c, "code")));
            set_fmt(p->mine_label, sizeof p->mine_label, "%s",
                    json_string_value(json_object_get(c, "label")));
        }
    }
    json_decref(t);
    const char *corps = p->mine.corps;
    p->mine_university = strcmp(p->mine.degree, "SUP") == 0 && strcmp(corps, "doctorant") != 0;
    json_t *disciplines = NULL;
    if ((rc = store_disciplines(p->ctx.st, &disciplines)) != 0) {
        fail_msg(p, "référentiel des disciplines illisible");
        return rc;
    }
    json_array_foreach(disciplines, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "code"));
        if (code && strcmp(code, p->mine.discipline) == 0)
            set_fmt(p->mine_discipline, sizeof p->mine_discipline, "%s",
                    json_string_value(json_object_get(c, "name")));
    }
    json_decref(disciplines);
    if (!p->mine_discipline[0])
        set_fmt(p->mine_discipline, sizeof p->mine_discipline, "Sciences de l’éducation");
    return 0;
}

/* ---- drawing the requests ---- */

/* The next topic of a kind's table, from a drawn start. */
static int next_topic(struct phase *p, enum request_kind k, int n)
{
    return p->cursor[k]++ % n;
}

/* The next FIL topic for an audience (AUD_1D or AUD_2D), topics for both included, each
 * once until the audience's are all taken. */
static const struct topic *next_fil(struct phase *p, unsigned audience)
{
    int n = (int)NELEM(fil_topics);
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < n; k++) {
            int i = p->fil_cursor[audience]++ % n;
            if ((fil_topics[i].audience & audience) && (pass == 1 || !p->fil_used[i])) {
                p->fil_used[i] = true;
                return &fil_topics[i];
            }
        }
    return &fil_topics[0];
}

static bool is_ien(enum actor a)
{
    return a == ACT_IEN || a == ACT_IEN_LOIRE;
}

/* The day offset of an instant: of its day, rounded to the nearest midnight so that an hour of
 * summer time in between changes nothing. */
static int offset_of(const struct phase *p, int64_t t)
{
    int64_t x = t - p->today + DAY / 2;
    int64_t d = x / DAY - (x < 0 && x % DAY != 0);
    return d < INT_MIN / 2 ? INT_MIN / 2 : d > INT_MAX / 2 ? INT_MAX / 2 : (int)d;
}

/* May an ALP IDG session take day d: in the season, not on a holiday, a weekday of mask? */
static bool alp_day_ok(struct phase *p, int offset, unsigned mask)
{
    struct day d;
    return day_at(p, offset, &d) == 0 && d.wd >= 1 && d.wd <= 6 &&
           (mask & CAMPAIGN_DAY_BIT(d.wd)) &&
           campaign_session_period_contains(&p->alp, ALP, d.midnight) &&
           !rules_alp_holiday(d.y, d.m, d.d, NULL);
}

/* The first day from `from` that alp_day_ok accepts, before the season ends; INT_MIN if none. */
static int alp_next_day(struct phase *p, int from, unsigned mask)
{
    const struct campaign_settings *s = campaign_settings_of(&p->alp, ALP);
    int last = offset_of(p, s->sessions_until);
    for (int o = from; o < last; o++)
        if (alp_day_ok(p, o, mask))
            return o;
    return INT_MIN;
}

#define MON CAMPAIGN_DAY_BIT(1)
#define TUE CAMPAIGN_DAY_BIT(2)
#define WED CAMPAIGN_DAY_BIT(3)
#define THU CAMPAIGN_DAY_BIT(4)
#define FRI CAMPAIGN_DAY_BIT(5)

#define AM_START (9 * 60)
#define AM_END   (12 * 60)
#define PM_START (13 * 60 + 30)
#define PM_END   (16 * 60 + 30)

static void alp_session(struct rq *r, int day, int start, int end)
{
    if (r->nalp < (int)NELEM(r->alp_day)) {
        r->alp_day[r->nalp] = day;
        r->alp_start[r->nalp] = start;
        r->alp_end[r->nalp] = end;
        r->nalp++;
    }
}

/* The days an ALP IDG asks for (seed 001 with academic trainers: Monday, Tuesday, Thursday, or
 * Wednesday mornings; Tuesday and Thursday first for an EABEP theme), ahead of the load: one
 * day of 6 h, two days of 12 h, or two Wednesday mornings. broken: a Friday, which academic
 * trainers may not take. Sets r->hours and returns the number of days. */
static int alp_days(struct phase *p, struct rq *r, bool eabep, bool broken)
{
    const struct campaign_settings *s = campaign_settings_of(&p->alp, ALP);
    int lo = offset_of(p, s->sessions_from);
    if (lo < 7)
        lo = 7;
    lo += rng_below(&p->r, 30);
    static const int pattern_w[] = {40, 40, 20};
    int pattern = broken ? 1 : rng_weighted(&p->r, pattern_w, 3);
    if (eabep && pattern == 2)
        pattern = 1;
    unsigned mask = eabep ? TUE | THU : MON | TUE | THU;
    r->nalp = 0;
    int d1 = alp_next_day(p, lo, broken ? FRI : pattern == 2 ? WED : mask);
    int d2 = d1 == INT_MIN
                 ? INT_MIN
                 : alp_next_day(p, d1 + rng_range(&p->r, 14, 35), pattern == 2 ? WED : mask);
    if (pattern > 0 && d2 == INT_MIN) {
        pattern = 0; /* the season ends too soon for two days: one whole day */
        d1 = alp_next_day(p, lo, broken ? FRI : mask);
    }
    if (d1 == INT_MIN) {
        r->hours = 6; /* no day left this season: the dates are left to set */
        return 1;
    }
    if (pattern == 2) {
        alp_session(r, d1, AM_START, AM_END);
        alp_session(r, d2, AM_START, AM_END);
        r->hours = 6;
        return 2;
    }
    alp_session(r, d1, AM_START, AM_END);
    alp_session(r, d1, PM_START, PM_END);
    if (pattern == 0) {
        r->hours = 6;
        return 1;
    }
    alp_session(r, d2, AM_START, AM_END);
    alp_session(r, d2, PM_START, PM_END);
    r->hours = 12;
    return 2;
}

static json_t *alp_sessions_json(struct phase *p, const struct rq *r)
{
    json_t *a = json_array();
    for (int i = 0; a && i < r->nalp; i++) {
        struct day d;
        char date[16], start[8], end[8];
        if (day_at(p, r->alp_day[i], &d) != 0)
            continue;
        iso_date(&d, date, sizeof date);
        set_fmt(start, sizeof start, "%02d:%02d", r->alp_start[i] / 60, r->alp_start[i] % 60);
        set_fmt(end, sizeof end, "%02d:%02d", r->alp_end[i] / 60, r->alp_end[i] % 60);
        json_array_append_new(a, json_pack("{ss ss ss}", "date", date, "start", start, "end", end));
    }
    return a;
}

/* An ALP IDG: the filer and a co-requester of the other kind (a head of a collège and an IEN
 * of the same area). */
static json_t *draw_alp(struct phase *p, struct rq *r, bool broken)
{
    const struct alp_topic *t = &alp_topics[next_topic(p, ALP, (int)NELEM(alp_topics))];
    enum actor chef = r->filer, ien = r->filer;
    if (is_ien(r->filer))
        chef = r->filer == ACT_IEN_LOIRE && p->has[ACT_CHEF_LOIRE] ? ACT_CHEF_LOIRE : ACT_CHEF;
    else
        ien = r->filer == ACT_CHEF_LOIRE && p->has[ACT_IEN_LOIRE] ? ACT_IEN_LOIRE : ACT_IEN;
    set_fmt(r->title, sizeof r->title, "%s", t->title);
    r->description = "Demande conjointe du collège et de la circonscription pour les écoles et le "
                     "collège du secteur.";
    r->place = "Collège du secteur, salle de réunion";
    int days = alp_days(p, r, t->eabep, broken);
    bool multi = broken || rng_percent(&p->r, 20);
    int d1 = multi ? 14 : PICK(&p->r, ((const int[]){8, 9, 10}));
    int d2 = multi ? 12 : 10;
    json_t *trainees = broken ? json_pack("{si si}", "first_degree", 16, "second_degree", 16)
                              : json_pack("{si si}", "first_degree", d1, "second_degree", d2);
    const char *format = multi                    ? "multi_secteurs"
                         : rng_percent(&p->r, 20) ? "reconduction"
                                                  : "nouveau_theme";
    json_t *d = json_pack(
        "{s[{ss ss ss}{ss ss ss}] si ss ss sb sb sb si si so so}", "requesters", "role",
        "chef_etablissement", "name", p->actors[chef].display_name, "uai", p->uai_of[chef], "role",
        "ien", "name", p->actors[ien].display_name, "circonscription", p->actors[ien].scope_value,
        "sectors", multi ? 2 : 1, "format", format, "theme", t->theme, "eabep", t->eabep,
        "education_prioritaire", t->ep, "academic_trainers", true, "hours", r->hours, "days", days,
        "sessions", alp_sessions_json(p, r), "trainees", trainees);
    if (d && t->orientation)
        json_object_set_new(d, "orientation", json_string(t->orientation));
    if (d && strcmp(format, "reconduction") == 0) {
        char prev[TITLE_LEN + 40];
        set_fmt(prev, sizeof prev, "ALP IDG « %s » de l’an dernier, journées annulées", t->title);
        json_object_set_new(d, "previous_action", json_string(prev));
    }
    return d;
}

static json_t *draw_fil(struct phase *p, struct rq *r, bool broken)
{
    bool ien = is_ien(r->filer);
    bool mine = r->path == P_MINE_PENDING || r->path == P_MINE_SCHEDULED || r->path == P_MINE_HOURS;
    const struct topic *t = mine             ? NULL
                            : broken && !ien ? &fil_disciplinary
                                             : next_fil(p, ien ? AUD_1D : AUD_2D);
    static const int hours[] = {6, 6, 9, 12};
    r->hours = PICK(&p->r, hours);
    r->place = ien ? "École du secteur, salle polyvalente" : "Salle de réunion de l’établissement";
    if (mine) {
        /* The "formateur" account's competence, named by code so that the proposals and the
         * assignment find it whatever the seed drew. */
        static const char *const mine_titles[] = {"accompagnement de l’équipe",
                                                  "formation de l’équipe", "journée d’équipe"};
        set_fmt(r->title, sizeof r->title, "« %s » : %s", p->mine_label,
                mine_titles[r->path - P_MINE_PENDING]);
        r->description = "Un besoin repéré par l’équipe lors du conseil pédagogique.";
        r->hours = p->mine.hours_quota >= 54 ? 6 : 3; /* three of them fit its yearly hours */
    } else {
        set_fmt(r->title, sizeof r->title, "%s", t->title);
        r->description = t->text;
    }
    const char *pub = ien ? PICK(&p->r, publics_1d) : PICK(&p->r, publics_2d);
    /* A draft that breaks a rule: a disciplinary need (fil.scope), or every teacher of the area
     * (fil.shape: 200 at most). */
    int headcount = broken && ien ? 240 : rng_range(&p->r, 8, 30);
    json_t *d = json_pack("{ss si sb si}", "public", pub, "headcount", headcount, "disciplinary",
                          broken && !ien, "hours", r->hours);
    if (d && mine)
        json_object_set_new(d, "competences", json_pack("[s]", p->mine_code));
    return d;
}

static json_t *draw_ant(struct phase *p, struct rq *r, bool broken, int filed)
{
    const struct topic *t = &ant_topics[next_topic(p, ANT, (int)NELEM(ant_topics))];
    set_fmt(r->title, sizeof r->title, "%s", t->title);
    r->description = "Demande de l’équipe volontaire, transmise sous couvert du chef "
                     "d’établissement.";
    r->place = "Salle de réunion de l’établissement";
    r->hours = 12;
    json_t *team = json_array();
    int members = broken ? 1 : rng_range(&p->r, 2, 5);
    for (int i = 0; i < members; i++) {
        char name[100];
        set_fmt(name, sizeof name, "%s %s",
                demo_first_names[rng_below(&p->r, demo_first_names_count)],
                demo_last_names[rng_below(&p->r, demo_last_names_count)]);
        json_array_append_new(
            team, json_pack("{ss ss}", "name", name, "function", PICK(&p->r, team_functions)));
    }
    static const struct weighted scales[] = {
        {"etablissement", 60}, {"reseau", 25}, {"district", 15}};
    const char *scale = RNG_CODE(&p->r, scales);
    json_t *d = json_pack("{so s{ss ss sb} ss ss si}", "team", team, "chef_etablissement", "name",
                          p->actors[r->filer].display_name, "uai", p->uai_of[r->filer], "agreement",
                          !broken, "scale", scale, "theme", t->text, "hours", r->hours);
    if (d && strcmp(scale, "district") == 0) {
        const char *host = find_estab(p->env, "rhone", DEMO_COLLEGE, 1 + rng_below(&p->r, 5));
        if (host)
            json_object_set_new(d, "host_uai", json_string(host));
    }
    struct day diag;
    if (d && !broken && rng_percent(&p->r, 60) && day_at(p, filed - 20, &diag) == 0) {
        char date[16];
        iso_date(&diag, date, sizeof date);
        json_object_set_new(d, "diagnostic", json_pack("{ss}", "date", date));
        struct day plan_day;
        if (rng_percent(&p->r, 50) && day_at(p, filed - 6, &plan_day) == 0) {
            iso_date(&plan_day, date, sizeof date);
            json_object_set_new(d, "training_plan", json_pack("{ss}", "date", date));
        }
    }
    return d;
}

/* The name of an institution of demo.c, for an ALD offer's proposer. */
static const char *institution_name(const char *code)
{
    static const struct {
        const char *code, *name;
    } names[] = {
        {"inspe", "Inspé de l’académie de Lyon"},
        {"lyon1", "Université Claude Bernard Lyon 1"},
        {"lyon2", "Université Lumière Lyon 2"},
        {"lyon3", "Université Jean Moulin Lyon 3"},
        {"ujm", "Université Jean Monnet Saint-Étienne"},
    };
    for (size_t i = 0; i < NELEM(names); i++)
        if (strcmp(names[i].code, code) == 0)
            return names[i].name;
    return "Université de Lyon";
}

static json_t *draw_ald(struct phase *p, struct rq *r)
{
    r->place = PICK(&p->r, inspe_places);
    if (r->filer == ACT_TRAINER) {
        /* An offer of the "formateur" account, on its validated competence. */
        set_fmt(r->title, sizeof r->title, "Offre de formation : « %s »", p->mine_label);
        r->description = "Une offre issue de travaux de recherche menés avec des équipes "
                         "d’écoles et de collèges.";
        r->hours = 6;
        char name[2 * TRAINER_NAME_MAX + 2], theme[240];
        set_fmt(name, sizeof name, "%s %s", p->mine.first_name, p->mine.last_name);
        set_fmt(theme, sizeof theme, "%s : apports de la recherche", p->mine_label);
        bool ec = strcmp(p->mine.corps, "enseignant_chercheur") == 0;
        return json_pack(
            "{ss s{ss ss ss} ss ss ss ss ss si si s[s]}", "origin", "offre", "proposer", "name",
            name, "status", ec ? "enseignant_chercheur" : "enseignant_superieur", "institution",
            institution_name(p->mine.institution), "discipline", p->mine_discipline, "theme", theme,
            "degree", "interdegre", "public", "enseignants des premier et second degrés",
            "objectives", "Partager des résultats de recherche et des outils pour la classe.",
            "hours", r->hours, "headcount", 20, "competences", p->mine_code);
    }
    const struct ald_topic *t = &ald_topics[next_topic(p, ALD, (int)NELEM(ald_topics))];
    set_fmt(r->title, sizeof r->title, "%s", t->title);
    r->description = t->objectives;
    static const int hours[] = {6, 9, 12};
    r->hours = PICK(&p->r, hours);
    const char *uai =
        find_estab(p->env, PICK(&p->r, ((const char *const[]){"rhone", "loire", "ain"})),
                   PICK(&p->r, ((const enum demo_estab_kind[]){DEMO_COLLEGE, DEMO_LYCEE})),
                   rng_below(&p->r, 4));
    char team[160];
    set_fmt(team, sizeof team, "Équipe de %s de l’établissement %s", t->discipline,
            uai ? uai : p->uai_of[ACT_CHEF]);
    return json_pack(
        "{ss ss ss ss ss s{ss ss} ss s[{ss ss}] ss si si}", "origin", "demande_locale",
        "discipline", t->discipline, "theme", t->theme, "degree", "second", "public", t->public,
        "team", "name", team, "uai", uai ? uai : p->uai_of[ACT_CHEF], "need",
        "L’équipe souhaite actualiser ses pratiques avec l’appui de l’université.", "inspectors",
        "corps", "ia_ipr", "name", p->actors[ACT_INSPECTOR].display_name, "objectives",
        t->objectives, "hours", r->hours, "headcount", rng_range(&p->r, 6, 18));
}

static json_t *draw_simple(struct phase *p, struct rq *r, const struct kind_topic *t,
                           const char *public, int headcount)
{
    set_fmt(r->title, sizeof r->title, "%s", t->title);
    r->dispositif = t->dispositif;
    r->description = t->theme;
    bool remote = strcmp(t->dispositif, "distance") == 0 || rng_percent(&p->r, 15);
    r->place = remote ? "" : PICK(&p->r, inspe_places);
    return json_pack("{ss ss si si}", "theme", t->theme, "public", public, "headcount", headcount,
                     "hours", r->hours);
}

static json_t *draw_ent(struct phase *p, struct rq *r, bool broken)
{
    const struct topic *t = &ent_topics[next_topic(p, ENT, (int)NELEM(ent_topics))];
    set_fmt(r->title, sizeof r->title, "%s", t->title);
    r->description = "Convention de formation au déploiement de l’ENT dans l’établissement.";
    r->place = "Salle informatique de l’établissement";
    r->hours = 6;
    char trainer[100], date1[16], date2[16], date3[16];
    set_fmt(trainer, sizeof trainer, "%s %s",
            demo_first_names[rng_below(&p->r, demo_first_names_count)],
            demo_last_names[rng_below(&p->r, demo_last_names_count)]);
    struct day a, b, c;
    int first = rng_range(&p->r, 20, 40);
    if (day_at(p, first, &a) != 0 || day_at(p, first + 7, &b) != 0 ||
        day_at(p, first + 21, &c) != 0)
        return json_object();
    iso_date(&a, date1, sizeof date1);
    iso_date(&b, date2, sizeof date2);
    iso_date(&c, date3, sizeof date3);
    /* broken: more HSE than the campaign's cap of 18 per trainer (ent.hse). */
    return json_pack("{s[{ss si ss si ss}{ss si ss si ss}] s[{ss si ss si ss}] s[{ss si}]}",
                     "in_person", "date", date1, "hours", 3, "public", "Enseignants de 6e",
                     "headcount", 14, "trainer", trainer, "date", date2, "hours", 3, "public",
                     "Enseignants de 5e", "headcount", 12, "trainer", trainer, "online", "date",
                     date3, "hours", 2, "mode", "classe_virtuelle", "headcount", 20, "trainer",
                     trainer, "remuneration", "trainer", trainer, "hse", broken ? 24 : 12);
}

/* The title, details and place of request r (the filer set). filed: the day it is filed. */
static int draw_content(struct phase *p, struct rq *r, int filed)
{
    bool broken = r->path == P_DRAFT_BROKEN;
    switch (r->kind) {
    case REQUEST_KIND_FIL:
        r->details = draw_fil(p, r, broken);
        break;
    case REQUEST_KIND_ALP_IDG:
        r->details = draw_alp(p, r, broken);
        break;
    case REQUEST_KIND_ANT:
        r->details = draw_ant(p, r, broken, filed);
        break;
    case REQUEST_KIND_ALD:
        r->details = draw_ald(p, r);
        break;
    case REQUEST_KIND_FI:
        r->hours = PICK(&p->r, ((const int[]){3, 6, 6}));
        r->details =
            draw_simple(p, r, &fi_topics[next_topic(p, FI, (int)NELEM(fi_topics))],
                        "étudiants de M1 et M2 MEEF premier degré", rng_range(&p->r, 20, 35));
        break;
    case REQUEST_KIND_ENT:
        r->details = draw_ent(p, r, broken);
        break;
    case REQUEST_KIND_PAF:
        r->hours = PICK(&p->r, ((const int[]){6, 12}));
        r->details = draw_simple(p, r, &paf_topics[next_topic(p, PAF, (int)NELEM(paf_topics))],
                                 "professeurs inscrits au plan académique de formation",
                                 rng_range(&p->r, 15, 30));
        break;
    case REQUEST_KIND_PREP_CONCOURS:
        r->hours = 12;
        r->details = draw_simple(p, r, &prep_topics[next_topic(p, PREP, (int)NELEM(prep_topics))],
                                 "candidats inscrits à la préparation", rng_range(&p->r, 10, 25));
        break;
    case REQUEST_KIND_COUNT:
        break;
    }
    if (!r->details) {
        fail_msg(p, "mémoire insuffisante");
        return ERR_NOMEM;
    }
    return 0;
}

/* ---- the steps of each request ---- */

static int push(struct phase *p, int64_t at, int rq, enum step step, int arg, int arg2)
{
    if (p->nev == p->capev) {
        int cap = p->capev ? 2 * p->capev : 1024;
        struct event *e = realloc(p->ev, (size_t)cap * sizeof *e);
        if (!e) {
            fail_msg(p, "mémoire insuffisante");
            return ERR_NOMEM;
        }
        p->ev = e;
        p->capev = cap;
    }
    p->ev[p->nev] = (struct event){at, p->nev, rq, step, arg, arg2};
    p->nev++;
    return 0;
}

/* The steps of one request, appended in their order: each at office hours on its day (never
 * the day of the load or later), and after the one before it. */
struct steps {
    struct phase *p;
    int rq;
    int64_t last;
    int rc;
};

static void add_step(struct steps *s, int day, enum step step, int arg)
{
    if (s->rc)
        return;
    if (day > -1)
        day = -1;
    int64_t at = at_time(s->p, day, office_minute(s->p));
    if (at <= s->last)
        at = s->last + 5 * 60; /* the same day: a few minutes later */
    s->last = at;
    s->rc = push(s->p, at, s->rq, step, arg, 0);
}

static void move(struct steps *s, int day, enum request_state to)
{
    add_step(s, day, E_MOVE, (int)to);
}

/* May an ANT be filed on day `offset`? Inside a window of the campaign of that day, or of the
 * next one (whose first window opens in June), as the app decides. */
static bool ant_window_ok(struct phase *p, int offset)
{
    struct day d;
    int fy = 0;
    struct campaign c;
    if (day_at(p, offset, &d) != 0 || campaign_year_of(d.midnight, &fy) != 0)
        return false;
    int64_t t = d.midnight + 12 * 3600;
    for (int y = fy; y <= fy + 1; y++)
        if (campaign_defaults(&c, y) == 0 && campaign_window_contains(&c, ANT, t))
            return true;
    return false;
}

/* The day a request is filed. */
static int filing_day(struct phase *p, const struct rq *r, enum age age)
{
    struct rng *g = &p->r;
    switch (r->path) {
    case P_DRAFT:
    case P_DRAFT_BROKEN:
        return -rng_range(g, 1, 25);
    case P_WITHDRAWN:
        return -rng_range(g, 10, 40);
    case P_SUBMITTED:
    case P_TRIAGED:
    case P_FORWARDED:
        /* The response deadline is five weeks after filing: past it, within 7 days, or not. */
        return age == AGE_OVERDUE       ? -rng_range(g, 37, 58)
               : age == AGE_SOON        ? -rng_range(g, 29, 33)
               : r->path == P_SUBMITTED ? -rng_range(g, 1, 26)
                                        : -rng_range(g, 5, 26);
    case P_REFUSED:
        return -rng_range(g, 6, 50);
    case P_REFUSED_L2:
        return -rng_range(g, 12, 55);
    case P_VALIDATED:
    case P_VALIDATED_L2:
        return -rng_range(g, 6, 18);
    case P_CANCELLED:
        return -rng_range(g, 8, 18);
    case P_MINE_PENDING:
        return -rng_range(g, 10, 16);
    case P_MINE_SCHEDULED:
        return -rng_range(g, 40, 50);
    case P_MINE_HOURS:
        return p->old_batch - rng_range(g, 40, 60);
    case P_DONE:
    case P_HOURS:
        return p->old_batch - rng_range(g, 20, 70);
    default: /* the recent batch's */
        return -rng_range(g, 32, 60);
    }
}

/* Triage, then a level-1 validation on day `day`, or for an ALD (and level 2) a forward and the
 * validation of a pilot (an inspector for an ALD). */
static void validate(struct steps *s, const struct rq *r, int filed, int day, bool level2)
{
    move(s, filed + 1, REQUEST_TRIAGED);
    if (level2 || r->kind == REQUEST_KIND_ALD)
        move(s, filed + 2, REQUEST_FORWARDED);
    move(s, day, REQUEST_VALIDATED);
}

/* The sessions and the workflow of an action whose trainers accept: sessions added on day
 * `day` (in the days [lo, hi] for all kinds but ALP), then scheduled. */
static void schedule(struct steps *s, struct rq *r, int day, int lo, int hi, int answer_day)
{
    add_step(s, answer_day, E_ANSWER, ANS_ALL);
    r->sess_lo = lo;
    r->sess_hi = hi;
    add_step(s, day, E_SESSIONS, 0);
    move(s, day, REQUEST_SCHEDULED);
}

static int plan_steps(struct phase *p, int idx, enum age age)
{
    struct rq *r = &p->rqs[idx];
    struct rng *g = &p->r;
    struct steps s = {p, idx, 0, 0};
    int f = filing_day(p, r, age);
    if (r->kind == REQUEST_KIND_ANT && r->path != P_DRAFT_BROKEN)
        for (int k = 0; k < 90 && !ant_window_ok(p, f); k++)
            f--; /* the summer between the two windows: filed before it */
    int rc = draw_content(p, r, f);
    if (rc)
        return rc;
    if (r->path == P_DRAFT || r->path == P_DRAFT_BROKEN) {
        add_step(&s, f, E_CREATE, 0);
        return s.rc;
    }
    /* A third are drafted first and filed a few days later. */
    if (rng_percent(g, 30)) {
        add_step(&s, f - rng_range(g, 1, 4), E_CREATE, 0);
        move(&s, f, REQUEST_SUBMITTED);
    } else {
        add_step(&s, f, E_CREATE, 1);
    }
    const int rb = RECENT_BATCH_DAY, ob = p->old_batch;
    switch (r->path) {
    case P_DRAFT:
    case P_DRAFT_BROKEN:
    case P_SUBMITTED:
        break;
    case P_WITHDRAWN:
        move(&s, f + rng_range(g, 2, 8), REQUEST_WITHDRAWN);
        break;
    case P_TRIAGED:
        move(&s, f + rng_range(g, 1, 2), REQUEST_TRIAGED);
        break;
    case P_FORWARDED:
        move(&s, f + 1, REQUEST_TRIAGED);
        move(&s, f + rng_range(g, 2, 4), REQUEST_FORWARDED);
        break;
    case P_REFUSED:
        move(&s, f + 1, REQUEST_TRIAGED);
        move(&s, f + rng_range(g, 2, 5), REQUEST_REFUSED);
        break;
    case P_REFUSED_L2:
        move(&s, f + 1, REQUEST_TRIAGED);
        move(&s, f + 2, REQUEST_FORWARDED);
        move(&s, f + rng_range(g, 5, 9), REQUEST_REFUSED);
        break;
    case P_VALIDATED:
    case P_VALIDATED_L2:
        /* After the last batch, which would have assigned it. */
        validate(&s, r, f, f + 4 > rb + 1 ? f + 4 : rb + 1, r->path == P_VALIDATED_L2);
        break;
    case P_CANCELLED: {
        int v = f + 2 > rb + 1 ? f + 2 : rb + 1;
        validate(&s, r, f, v, false);
        move(&s, v + rng_range(g, 3, 5), REQUEST_CANCELLED);
        break;
    }
    case P_ASSIGNED:
    case P_ASSIGNED_HALF:
    case P_ASSIGNED_DECLINED:
    case P_ASSIGNED_HOLIDAY:
    case P_SCHEDULED:
    case P_SCHEDULED_CANCELLED:
        validate(&s, r, f, f + rng_range(g, 3, 5), false);
        r->cohort = rb;
        if (r->path == P_ASSIGNED_HALF)
            add_step(&s, rb + rng_range(g, 1, 4), E_ANSWER, ANS_FIRST);
        if (r->path == P_ASSIGNED_DECLINED)
            add_step(&s, rb + rng_range(g, 2, 6), E_ANSWER, ANS_DECLINE);
        /* An ALP IDG's sessions are those it asked for, free when the batch chose its
         * trainers: they go in the day before the other actions' sessions, which find their
         * own days around them. */
        if (r->path == P_ASSIGNED_HOLIDAY) {
            add_step(&s, rb + rng_range(g, 1, 3), E_ANSWER, ANS_ALL);
            add_step(&s, rb + 4, E_SESSIONS, 1);
        }
        if (r->path == P_SCHEDULED || r->path == P_SCHEDULED_CANCELLED)
            schedule(&s, r, r->kind == REQUEST_KIND_ALP_IDG ? rb + 4 : rb + 5, 4, 70,
                     rb + rng_range(g, 1, 3));
        if (r->path == P_SCHEDULED_CANCELLED)
            move(&s, -rng_range(g, 2, 6), REQUEST_CANCELLED);
        break;
    case P_DONE:
    case P_HOURS:
        validate(&s, r, f, f + rng_range(g, 4, 8), false);
        r->cohort = ob;
        if (r->path == P_HOURS) {
            schedule(&s, r, ob + 5, ob + 6, p->old_end, ob + rng_range(g, 1, 3));
            move(&s, OLD_SESSIONS_END + rng_range(g, 1, 5), REQUEST_DONE);
            move(&s, -rng_range(g, 3, 20), REQUEST_HOURS_VALIDATED);
        } else {
            schedule(&s, r, ob + 5, ob + 6, -12, ob + rng_range(g, 1, 3));
            move(&s, -rng_range(g, 5, 10), REQUEST_DONE);
        }
        break;
    case P_MINE_PENDING:
        validate(&s, r, f, f + 3, false);
        add_step(&s, -rng_range(g, 2, 3), E_ASSIGN_MINE, 0);
        break;
    case P_MINE_SCHEDULED:
        validate(&s, r, f, f + 3, false);
        add_step(&s, f + 5, E_ASSIGN_MINE, 0);
        schedule(&s, r, f + 8, 3, 45, f + 6);
        break;
    case P_MINE_HOURS:
        validate(&s, r, f, f + 4, false);
        add_step(&s, f + 6, E_ASSIGN_MINE, 0);
        schedule(&s, r, f + 9, ob + 6, p->old_end, f + 7);
        move(&s, OLD_SESSIONS_END + rng_range(g, 1, 5), REQUEST_DONE);
        move(&s, -rng_range(g, 10, 15), REQUEST_HOURS_VALIDATED);
        break;
    }
    /* The words of its refusal, cancellation or declined mission. */
    if (r->path == P_REFUSED_L2)
        r->reason = PICK(g, pilot_refusals);
    else if (r->path == P_REFUSED)
        r->reason = PICK(g, refusal_reasons);
    else if (r->path == P_ASSIGNED_DECLINED)
        r->reason = PICK(g, decline_reasons);
    else
        r->reason = PICK(g, cancel_reasons);
    return s.rc;
}

/* Draws every request of the plan, then adds a batch per kind and cohort. */
static int plan_all(struct phase *p)
{
    int total = 0;
    for (size_t i = 0; i < NELEM(plan); i++)
        total += plan[i].count;
    p->rqs = calloc((size_t)total, sizeof *p->rqs);
    if (!p->rqs) {
        fail_msg(p, "mémoire insuffisante");
        return ERR_NOMEM;
    }
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        p->cursor[k] = rng_below(&p->r, 64);
    for (size_t a = 0; a < NELEM(p->fil_cursor); a++)
        p->fil_cursor[a] = rng_below(&p->r, (int)NELEM(fil_topics));
    for (size_t i = 0; i < NELEM(plan); i++) {
        const struct plan_row *row = &plan[i];
        bool mine = row->path == P_MINE_PENDING || row->path == P_MINE_SCHEDULED ||
                    row->path == P_MINE_HOURS || row->filer == ACT_TRAINER;
        /* The "formateur" account's requests need a validated competence, and an offer a
         * trainer of the university side. */
        if (mine && (!p->mine_code[0] || p->mine.hours_quota < 12 ||
                     (row->filer == ACT_TRAINER && !p->mine_university)))
            continue;
        for (int n = 0; n < row->count; n++) {
            struct rq *r = &p->rqs[p->nrqs];
            r->kind = row->kind;
            r->path = row->path;
            r->filer = row->filer == ACT_TRAINER ? ACT_TRAINER : filer_of(p, row->filer);
            r->state = REQUEST_STATE_COUNT; /* not written yet */
            int idx = p->nrqs++;
            int rc = plan_steps(p, idx, row->age);
            if (rc)
                return rc;
        }
    }
    const int cohorts[] = {p->old_batch, RECENT_BATCH_DAY};
    for (size_t c = 0; c < NELEM(cohorts); c++)
        for (int k = 0; k < REQUEST_KIND_COUNT; k++) {
            bool any = false;
            for (int i = 0; i < p->nrqs && !any; i++)
                any = p->rqs[i].kind == (enum request_kind)k && p->rqs[i].cohort == cohorts[c];
            int rc =
                any ? push(p, at_time(p, cohorts[c], 10 * 60 + k), -1, E_BATCH, k, cohorts[c]) : 0;
            if (rc)
                return rc;
        }
    return 0;
}

/* ---- running the events ---- */

static int cmp_event(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static struct app_ctx ctx_as(const struct phase *p, const struct user *actor, int64_t at)
{
    struct app_ctx c = p->ctx;
    c.actor = actor;
    c.now = at;
    return c;
}

static void note_submitted(struct phase *p, struct rq *r, int64_t at)
{
    r->submitted_at = at;
    if (r->kind == REQUEST_KIND_ALP_IDG && r->nalp > 0)
        r->year = p->alp.first_year; /* the campaign of its sessions, as the app counts it */
    else if (campaign_year_of(at, &r->year) != 0)
        r->year = 0;
}

static int do_create(struct phase *p, struct rq *r, int64_t at, bool submit)
{
    struct app_ctx c = ctx_as(p, &p->actors[r->filer], at);
    struct request_input in = {
        .kind = request_kind_code(r->kind),
        .dispositif = r->dispositif,
        .title = r->title,
        .description = r->description,
        .details = r->details,
        .submit = submit,
    };
    reset_reports(p);
    int rc = app_request_create(&c, &in, &p->errs, &p->rules, &r->id);
    if (rc)
        return step_end(p, r, rc, submit ? "dépôt" : "brouillon");
    r->state = submit ? REQUEST_SUBMITTED : REQUEST_DRAFT;
    if (submit)
        note_submitted(p, r, at);
    return 0;
}

/* Who makes a transition: the filer files and withdraws; a pilot answers at level 2 (an
 * inspector validates an ALD); the coordination team does the rest. */
static const struct user *mover(const struct phase *p, const struct rq *r, enum request_state to)
{
    if (to == REQUEST_SUBMITTED || to == REQUEST_WITHDRAWN)
        return &p->actors[r->filer];
    if (r->state == REQUEST_FORWARDED && to == REQUEST_VALIDATED)
        return &p->actors[r->kind == REQUEST_KIND_ALD ? ACT_INSPECTOR : ACT_PILOT];
    if (r->state == REQUEST_FORWARDED && to == REQUEST_REFUSED)
        return &p->actors[ACT_PILOT];
    return &p->actors[ACT_COORD];
}

static int do_move(struct phase *p, struct rq *r, int64_t at, enum request_state to)
{
    struct app_ctx c = ctx_as(p, mover(p, r, to), at);
    const char *reason = request_transition_needs_reason(r->state, to) ? r->reason : NULL;
    reset_reports(p);
    int rc = app_request_transition(&c, r->id, request_state_code(to), reason, &p->rules, p->msg,
                                    sizeof p->msg);
    const char *label = request_transition_label(r->state, to);
    if (rc)
        return step_end(p, r, rc, label ? label : request_state_code(to));
    r->state = to;
    if (to == REQUEST_SUBMITTED)
        note_submitted(p, r, at);
    return 0;
}

static struct rq *find_rq(struct phase *p, int64_t id)
{
    for (int i = 0; i < p->nrqs; i++)
        if (p->rqs[i].id == id)
            return &p->rqs[i];
    return NULL;
}

/* The coordination team's campaign batch for a kind, for each campaign year of the cohort's
 * validated requests. A request it cannot cover stops there, with the batch's reason. */
static int do_batch(struct phase *p, int64_t at, enum request_kind kind, int cohort)
{
    int years[8], ny = 0;
    for (int i = 0; i < p->nrqs; i++) {
        const struct rq *r = &p->rqs[i];
        if (r->kind != kind || r->cohort != cohort || r->state != REQUEST_VALIDATED || r->stalled)
            continue;
        bool seen = false;
        for (int k = 0; k < ny; k++)
            seen |= years[k] == r->year;
        if (!seen && ny < (int)NELEM(years))
            years[ny++] = r->year;
    }
    for (int a = 1; a < ny; a++) /* in year order */
        for (int b = a; b > 0 && years[b - 1] > years[b]; b--) {
            int t = years[b];
            years[b] = years[b - 1];
            years[b - 1] = t;
        }
    struct app_ctx c = ctx_as(p, &p->actors[ACT_COORD], at);
    for (int k = 0; k < ny; k++) {
        json_t *out = NULL;
        reset_reports(p);
        int rc = app_campaign_assign(&c, years[k], request_kind_code(kind), false, &out, p->msg,
                                     sizeof p->msg);
        if (rc && !refusal(rc)) {
            fail_msg(p, "affectation de la campagne %d : échec (%s)", years[k], err_name(rc));
            return rc;
        }
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(out, "items"), i, it)
        {
            struct rq *r =
                find_rq(p, (int64_t)json_integer_value(json_object_get(it, "request_id")));
            if (!r || r->state != REQUEST_VALIDATED)
                continue;
            if (json_is_true(json_object_get(it, "assigned"))) {
                r->state = REQUEST_ASSIGNED;
            } else if (r->cohort == cohort && !r->stalled) {
                set_fmt(p->msg, sizeof p->msg, "%s",
                        json_string_value(json_object_get(it, "reason")));
                stall(p, r, "affectation de campagne");
            }
        }
        json_decref(out);
    }
    for (int i = 0; i < p->nrqs; i++) {
        struct rq *r = &p->rqs[i];
        if (r->kind == kind && r->cohort == cohort && r->state == REQUEST_VALIDATED &&
            !r->stalled) {
            if (!p->msg[0])
                set_fmt(p->msg, sizeof p->msg, "non couverte");
            stall(p, r, "affectation de campagne");
        }
    }
    return 0;
}

/* The coordination team gives the "formateur" account's trainer a mission. */
static int do_assign_mine(struct phase *p, struct rq *r, int64_t at)
{
    struct app_ctx c = ctx_as(p, &p->actors[ACT_COORD], at);
    struct assign_choice choice = {p->env->stats->demo_trainer_id, "any"};
    reset_reports(p);
    int rc = app_request_assign(&c, r->id, &choice, 1, p->msg, sizeof p->msg);
    if (rc)
        return step_end(p, r, rc, "affectation");
    r->state = REQUEST_ASSIGNED;
    return 0;
}

/* The trainers answer from their accounts: all of them accept, the first accepts, or the first
 * declines. */
static int do_answer(struct phase *p, struct rq *r, int64_t at, int how)
{
    json_t *ms = NULL;
    int rc = store_missions_of_request(p->ctx.st, r->id, &ms);
    if (rc) {
        fail_msg(p, "missions de la demande n° %lld illisibles", (long long)r->id);
        return rc;
    }
    size_t i;
    json_t *m;
    int answered = 0;
    json_array_foreach(ms, i, m)
    {
        const char *state = json_string_value(json_object_get(m, "state"));
        if (rc || !state || strcmp(state, "pending") != 0 || (how != ANS_ALL && answered))
            continue;
        int64_t when = at + answered * 3 * 3600; /* each trainer in their own time */
        struct user u;
        rc = trainer_account(p, (int64_t)json_integer_value(json_object_get(m, "trainer_id")),
                             when - 3600, &u);
        if (rc)
            break;
        struct app_ctx c = ctx_as(p, &u, when);
        bool accept = how != ANS_DECLINE;
        reset_reports(p);
        rc =
            app_mission_answer(&c, r->id, accept, accept ? NULL : r->reason, p->msg, sizeof p->msg);
        rc = step_end(p, r, rc, accept ? "acceptation de la mission" : "refus de la mission");
        if (r->stalled)
            break;
        answered++;
    }
    json_decref(ms);
    return rc;
}

/* Adds a session from `start` to `end` (minutes) on day `offset`. */
static int add_session(struct phase *p, struct rq *r, int64_t at, int offset, int start, int end)
{
    struct day d;
    char date[16], from[8], until[8];
    int rc = day_at(p, offset, &d);
    if (rc)
        return rc;
    iso_date(&d, date, sizeof date);
    set_fmt(from, sizeof from, "%02d:%02d", start / 60, start % 60);
    set_fmt(until, sizeof until, "%02d:%02d", end / 60, end % 60);
    struct tsession_input in = {
        .date = date,
        .start = from,
        .end = until,
        .place = r->place ? r->place : "",
        .modality = r->place && r->place[0] ? "presentiel" : "classe_virtuelle",
    };
    struct app_ctx c = ctx_as(p, &p->actors[ACT_COORD], at);
    reset_reports(p);
    return app_tsession_add(&c, r->id, &in, &p->errs, p->msg, sizeof p->msg, NULL);
}

/* The weekdays every trainer of r (not declined) is free. */
static int common_weekdays(struct phase *p, const struct rq *r, unsigned *days)
{
    json_t *ms = NULL;
    int rc = store_missions_of_request(p->ctx.st, r->id, &ms);
    *days = WEEKDAY_ALL;
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        const char *state = json_string_value(json_object_get(m, "state"));
        struct trainer t;
        if (rc || (state && strcmp(state, "declined") == 0))
            continue;
        rc = store_trainer_load(p->ctx.st,
                                (int64_t)json_integer_value(json_object_get(m, "trainer_id")), &t);
        *days &= t.weekdays;
    }
    json_decref(ms);
    return rc;
}

/* A weekday of the school calendar: Monday to Friday, outside the holidays. */
static bool school_day(const struct day *d, unsigned days)
{
    return d->wd >= 1 && d->wd <= 5 && (days & CAMPAIGN_DAY_BIT(d->wd)) &&
           !rules_alp_holiday(d->y, d->m, d->d, NULL);
}

/* How many school days [lo, hi] holds. */
static int school_days(struct phase *p, int lo, int hi)
{
    int n = 0;
    for (int o = lo; o <= hi; o++) {
        struct day d;
        n += day_at(p, o, &d) == 0 && school_day(&d, WEEKDAY_ALL);
    }
    return n;
}

/* Sessions of 3 hours, mornings and afternoons, until r->hours are set, on school days of
 * [lo, hi] when its trainers are free and not busy elsewhere. Returns how many half days are
 * still missing, or a negative ERR_* code for a failure of the load. */
static int sessions_between(struct phase *p, struct rq *r, int64_t at, unsigned days, int lo,
                            int hi, int left)
{
    int span = hi - lo + 1, first = rng_below(&p->r, span);
    for (int j = 0; j < span && left > 0; j++) {
        int offset = lo + (first + j) % span;
        struct day d;
        if (day_at(p, offset, &d) != 0 || !school_day(&d, days))
            continue;
        int rc = add_session(p, r, at, offset, AM_START, AM_END);
        if (rc == ERR_CONFLICT)
            continue; /* a trainer is busy that day: another one */
        if (rc)
            return refusal(rc) ? left : rc;
        at += 60;
        left--;
        if (left > 0 && add_session(p, r, at, offset, PM_START, PM_END) == 0)
            left--;
        at += 60;
    }
    return left;
}

/* An action's sessions in [sess_lo, sess_hi]; when its trainers have no school day there (the
 * summer holidays), in any day from the one after they are set. */
static int plain_sessions(struct phase *p, struct rq *r, int64_t at)
{
    unsigned days = 0;
    int rc = common_weekdays(p, r, &days);
    if (rc)
        return step_end(p, r, rc, "séances");
    int want = r->hours / 3 > 0 ? r->hours / 3 : 1;
    int left = sessions_between(p, r, at, days, r->sess_lo, r->sess_hi, want);
    int from = offset_of(p, at) + 1;
    if (left == want && from < r->sess_lo)
        left = sessions_between(p, r, at, days, from, r->sess_hi, want);
    if (left < 0)
        return step_end(p, r, left, "séance");
    if (left == want) {
        set_fmt(p->msg, sizeof p->msg, "aucun jour où les formateurs sont libres");
        stall(p, r, "séances");
    }
    return 0;
}

/* The first day of the holidays (not a public holiday) after the load, on weekday wd, in the
 * ALP season; INT_MIN if none. */
static int holiday_day(struct phase *p, int wd)
{
    const struct campaign_settings *s = campaign_settings_of(&p->alp, ALP);
    int last = offset_of(p, s->sessions_until);
    for (int o = 1; o < last; o++) {
        struct day d;
        bool pub = false;
        if (day_at(p, o, &d) == 0 && d.wd == wd &&
            campaign_session_period_contains(&p->alp, ALP, d.midnight) &&
            rules_alp_holiday(d.y, d.m, d.d, &pub) && !pub)
            return o;
    }
    return INT_MIN;
}

/* An ALP IDG's sessions are those it asked for; with `holiday`, the last day's move to a day of
 * the school holidays (the same weekday, so its trainers are free): the coordination team will
 * not be able to schedule it (alp.holiday). */
static int alp_sessions(struct phase *p, struct rq *r, int64_t at, bool holiday)
{
    int last_day = r->nalp ? r->alp_day[r->nalp - 1] : 0, moved = INT_MIN;
    if (holiday && r->nalp) {
        struct day d;
        if (day_at(p, last_day, &d) == 0)
            moved = holiday_day(p, d.wd);
    }
    for (int i = 0; i < r->nalp; i++) {
        int day = r->alp_day[i] == last_day && moved != INT_MIN ? moved : r->alp_day[i];
        int rc = add_session(p, r, at + i * 60, day, r->alp_start[i], r->alp_end[i]);
        if (rc)
            return step_end(p, r, rc, "séance");
    }
    if (!r->nalp) {
        set_fmt(p->msg, sizeof p->msg, "aucun jour possible dans la saison des ALP IDG");
        stall(p, r, "séances");
    }
    return 0;
}

static int run_event(struct phase *p, const struct event *e)
{
    if (e->step == E_BATCH)
        return do_batch(p, e->at, (enum request_kind)e->arg, e->arg2);
    struct rq *r = &p->rqs[e->rq];
    if (r->stalled || (e->step != E_CREATE && !r->id))
        return 0;
    switch (e->step) {
    case E_CREATE:
        return do_create(p, r, e->at, e->arg != 0);
    case E_MOVE:
        return do_move(p, r, e->at, (enum request_state)e->arg);
    case E_ASSIGN_MINE:
        return do_assign_mine(p, r, e->at);
    case E_ANSWER:
        return do_answer(p, r, e->at, e->arg);
    case E_SESSIONS:
        return r->kind == REQUEST_KIND_ALP_IDG ? alp_sessions(p, r, e->at, e->arg != 0)
                                               : plain_sessions(p, r, e->at);
    case E_BATCH:
        break;
    }
    return 0;
}

/* ---- the counts ---- */

static int count(struct phase *p)
{
    struct demo_stats *s = p->env->stats;
    for (int i = 0; i < p->nrqs; i++) {
        const struct rq *r = &p->rqs[i];
        if (!r->id || r->state >= REQUEST_STATE_COUNT)
            continue;
        s->requests++;
        s->requests_by_state[r->state]++;
        s->requests_by_kind[r->kind]++;
        int64_t deadline = 0;
        if (request_state_awaits_answer(r->state) &&
            request_deadline(r->submitted_at, request_response_days(r->kind), &deadline) == 0 &&
            deadline < p->env->wall_now)
            s->requests_overdue++;
        json_t *ms = NULL, *ss = NULL;
        int rc = store_missions_of_request(p->ctx.st, r->id, &ms);
        if (rc == 0)
            rc = store_tsessions_of_request(p->ctx.st, r->id, &ss);
        s->request_missions += (int)json_array_size(ms);
        s->request_sessions += (int)json_array_size(ss);
        json_decref(ms);
        json_decref(ss);
        if (rc) {
            fail_msg(p, "demande n° %lld illisible", (long long)r->id);
            return rc;
        }
    }
    return 0;
}

/* ---- the phase ---- */

/* The day of the load, and the ALP season the sessions take: the campaign under way, or the
 * next one when less than fifty days of this one's season are left. */
static int set_calendar(struct phase *p)
{
    buf_reset(&p->scratch);
    int fy = 0;
    int rc = time_format_date(p->env->wall_now, &p->scratch);
    if (rc == 0)
        rc = time_parse_date(p->scratch.data, p->scratch.len, &p->today);
    if (rc == 0)
        rc = campaign_year_of(p->today, &fy);
    if (rc == 0)
        rc = campaign_defaults(&p->alp, fy);
    if (rc == 0 &&
        p->today >= campaign_settings_of(&p->alp, ALP)->sessions_until - 50 * (int64_t)DAY)
        rc = campaign_defaults(&p->alp, fy + 1);
    if (rc) {
        fail_msg(p, "date du chargement hors du calendrier");
        return rc;
    }
    /* Early in the school year, the days before OLD_SESSIONS_END are the summer's: the old
     * batch moves back so that its actions take place before the holidays. */
    p->old_batch = OLD_BATCH_DAY;
    p->old_end = OLD_SESSIONS_END;
    while (p->old_batch > -400 && school_days(p, p->old_batch + 6, p->old_end) < 12) {
        p->old_batch -= 7;
        p->old_end -= 7;
    }
    return 0;
}

int demo_requests_load(const struct demo_requests_env *env)
{
    struct phase *p = calloc(1, sizeof *p);
    if (!p) {
        set_fmt(env->stats->error, sizeof env->stats->error, "mémoire insuffisante");
        return ERR_NOMEM;
    }
    p->env = env;
    p->ctx = *env->ctx;
    rng_seed(&p->r, env->seed, STREAM_REQUESTS);
    buf_init(&p->scratch, 64);
    buf_init(&p->fold, 256);
    int rc = set_calendar(p);
    if (rc == 0)
        rc = load_actors(p);
    if (rc == 0)
        rc = load_mine(p);
    if (rc == 0)
        rc = plan_all(p);
    if (rc == 0)
        qsort(p->ev, (size_t)p->nev, sizeof *p->ev, cmp_event);
    for (int i = 0; rc == 0 && i < p->nev; i++)
        rc = run_event(p, &p->ev[i]);
    if (rc == 0)
        rc = count(p);
    for (int i = 0; i < p->nrqs; i++)
        json_decref(p->rqs[i].details);
    free(p->rqs);
    free(p->ev);
    buf_free(&p->scratch);
    buf_free(&p->fold);
    free(p);
    return rc;
}
