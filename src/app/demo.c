/*
 * The demo académie (see demo.h). Data tables first (institutions, partners, disciplines, the
 * competence referential, communes, names, sentence templates), then the generators (the PRNG
 * and what the internship phase of demo_placement.c shares are in demo_internal.h). Generation is
 * split in two on purpose: gen_trainer() draws a whole trainer — its identity, competences and
 * experiences — into plain structs without touching the store, and write_trainer() only writes
 * them. A trainer therefore depends only on the PRNG stream, never on what the database answered,
 * which is what makes a seed reproducible; it also lets the writes of one trainer come in the order
 * that indexes it the fewest times. Nothing here reads the clock or rand(): dates are offsets from
 * DEMO_BASE_DATE (the exceptions, the wishes window of the current internship period and the
 * training requests, are demo_placement.c's and demo_requests.c's).
 */
#include "app/demo.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/campaigns.h"
#include "app/demo_internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "core/timeutil.h"

/* The load "happens" at the start of the 2026 school year; every date is drawn before it. */
#define DEMO_BASE_DATE "2026-09-01"
#define DAY            (24 * 3600)

/* ---- data: institutions, research partners, disciplines ---- */

struct institution_def {
    const char *code, *name, *kind;
};

static const struct institution_def institutions[] = {
    {"inspe", "Inspé de l’académie de Lyon", "inspe"},
    {"lyon1", "Université Claude Bernard Lyon 1", "universite"},
    {"lyon2", "Université Lumière Lyon 2", "universite"},
    {"lyon3", "Université Jean Moulin Lyon 3", "universite"},
    {"ujm", "Université Jean Monnet Saint-Étienne", "universite"},
    {"rectorat", "Rectorat de l’académie de Lyon", "rectorat"},
};

/* Research partners are both institutions (kind recherche) and research_partner rows. The last
 * two laboratories are fictional. */
struct partner_def {
    const char *code, *name, *short_name, *fields;
};

static const struct partner_def partners[] = {
    {"ife", "IFÉ (Institut français de l’éducation)", "l’IFÉ",
     "lieux d’éducation associés, recherche collaborative, didactique des disciplines, "
     "ressources pour la formation des enseignants"},
    {"inserm", "INSERM", "l’INSERM",
     "sciences cognitives, neurosciences des apprentissages, santé des élèves, troubles du "
     "neurodéveloppement"},
    {"ispef", "ISPEF (Lyon 2)", "l’ISPEF",
     "sciences de l’éducation, éducation inclusive, politiques éducatives, formation des "
     "adultes"},
    {"ecp", "ECP (Éducation, cultures, politiques)", "le laboratoire ECP",
     "sociologie de l’éducation, éducation prioritaire, inégalités scolaires, orientation"},
    {"lidaf", "LIDAF (Laboratoire interuniversitaire de didactique et d’analyse de la formation)",
     "le LIDAF",
     "didactique des mathématiques et des sciences, analyse de l’activité enseignante, "
     "évaluation"},
    {"cenum", "CÉNUM (Centre d’études du numérique éducatif)", "le CÉNUM",
     "numérique éducatif, intelligence artificielle en éducation, éducation aux médias, "
     "formation hybride"},
};

struct discipline_def {
    const char *code, *name;
    /* Disciplinary competence parents this discipline draws from (NULL-terminated). */
    const char *parents[9];
};

static const struct discipline_def disciplines[] = {
    {"polyvalent",
     "Polyvalent (1er degré)",
     {"francais", "didactique-maths", "maternelle", "sciences", "eps", "arts", "langues",
      "histoire-geo", NULL}},
    {"mathematiques", "Mathématiques", {"didactique-maths", NULL}},
    {"lettres", "Lettres modernes", {"francais", "lettres", NULL}},
    {"lettres_classiques", "Lettres classiques", {"lettres", "francais", NULL}},
    {"histoire_geographie", "Histoire-géographie", {"histoire-geo", NULL}},
    {"anglais", "Anglais", {"langues", NULL}},
    {"allemand", "Allemand", {"langues", NULL}},
    {"espagnol", "Espagnol", {"langues", NULL}},
    {"italien", "Italien", {"langues", NULL}},
    {"langues_regionales", "Langues régionales", {"langues", NULL}},
    {"svt", "Sciences de la vie et de la Terre", {"sciences", NULL}},
    {"physique_chimie", "Physique-chimie", {"sciences", NULL}},
    {"technologie", "Technologie", {"sciences", NULL}},
    {"sti", "Sciences et techniques industrielles", {"sciences", "voie-pro", NULL}},
    {"biotechnologies", "Biotechnologies", {"sciences", "voie-pro", NULL}},
    {"eps", "Éducation physique et sportive", {"eps", NULL}},
    {"arts_plastiques", "Arts plastiques", {"arts", NULL}},
    {"education_musicale", "Éducation musicale", {"arts", NULL}},
    {"philosophie", "Philosophie", {"philosophie", NULL}},
    {"ses", "Sciences économiques et sociales", {"economie", NULL}},
    {"economie_gestion", "Économie-gestion", {"economie", "voie-pro", NULL}},
    {"documentation", "Documentation", {"documentation", NULL}},
    {"education", "Éducation (CPE)", {"vie-scolaire", NULL}},
    {"orientation", "Psychologie de l’éducation (Psy-EN)", {"vie-scolaire", NULL}},
    {"nsi", "Numérique et sciences informatiques", {"informatique", NULL}},
    {"sciences_education", "Sciences de l’éducation", {NULL}},
};

/* ---- data: the competence referential ----
 * Parents (parent == NULL) carry a kind and a phrase for the biographies; children inherit the
 * kind. A trainer declares children only. */

struct competence_def {
    const char *code, *label, *parent;
    const char *kind;   /* parents only */
    const char *phrase; /* parents only: "l’école inclusive" */
};

#define PARENT_T(c, l, p)                                                                          \
    {                                                                                              \
        c, l, NULL, "transversal", p                                                               \
    }
#define PARENT_D(c, l, p)                                                                          \
    {                                                                                              \
        c, l, NULL, "disciplinaire", p                                                             \
    }
#define CHILD(c, l, p)                                                                             \
    {                                                                                              \
        c, l, p, NULL, NULL                                                                        \
    }

static const struct competence_def competences[] = {
    PARENT_T("inclusive", "École inclusive", "l’école inclusive"),
    CHILD("inclusive-handicap", "Scolarisation des élèves en situation de handicap", "inclusive"),
    CHILD("inclusive-troubles", "Troubles des apprentissages (dys, TDAH)", "inclusive"),
    CHILD("inclusive-allophones", "Élèves allophones nouvellement arrivés", "inclusive"),
    CHILD("inclusive-hpi", "Élèves à haut potentiel", "inclusive"),
    CHILD("inclusive-aesh", "Coopération avec les AESH et le secteur médico-social", "inclusive"),
    CHILD("inclusive-differenciation", "Pédagogie différenciée et inclusion", "inclusive"),

    PARENT_T("numerique", "Numérique éducatif", "le numérique éducatif"),
    CHILD("numerique-ent", "Usages pédagogiques de l’ENT", "numerique"),
    CHILD("numerique-emi", "Éducation aux médias et à l’information", "numerique"),
    CHILD("numerique-programmation", "Pensée informatique et programmation", "numerique"),
    CHILD("numerique-ia", "Intelligence artificielle en éducation", "numerique"),
    CHILD("numerique-hybride", "Classe virtuelle et formation hybride", "numerique"),
    CHILD("numerique-citoyennete", "Citoyenneté numérique et protection des données", "numerique"),

    PARENT_T("evaluation", "Évaluation des élèves", "l’évaluation des élèves"),
    CHILD("evaluation-competences", "Évaluation par compétences", "evaluation"),
    CHILD("evaluation-formative", "Évaluation formative et rétroaction", "evaluation"),
    CHILD("evaluation-nationales", "Évaluations nationales et pilotage pédagogique", "evaluation"),
    CHILD("evaluation-positionnement", "Tests de positionnement et livret scolaire", "evaluation"),

    PARENT_T("climat", "Gestion de classe et climat scolaire",
             "la gestion de classe et le climat scolaire"),
    CHILD("climat-harcelement", "Prévention du harcèlement", "climat"),
    CHILD("climat-conflits", "Gestion des conflits et médiation entre pairs", "climat"),
    CHILD("climat-autorite", "Autorité et posture enseignante", "climat"),
    CHILD("climat-bien-etre", "Bien-être et santé des élèves", "climat"),
    CHILD("climat-cooperation", "Coopération entre élèves", "climat"),

    PARENT_T("laicite", "Laïcité et valeurs de la République",
             "la laïcité et les valeurs de la République"),
    CHILD("laicite-enseigner", "Enseigner la laïcité", "laicite"),
    CHILD("laicite-emc", "Enseignement moral et civique", "laicite"),
    CHILD("laicite-radicalisation", "Prévention de la radicalisation", "laicite"),
    CHILD("laicite-discriminations", "Lutte contre le racisme et les discriminations", "laicite"),

    PARENT_T("egalite", "Égalité filles-garçons", "l’égalité filles-garçons"),
    CHILD("egalite-stereotypes", "Stéréotypes de genre et orientation", "egalite"),
    CHILD("egalite-sexualite", "Éducation à la sexualité", "egalite"),
    CHILD("egalite-espaces", "Mixité et partage des espaces scolaires", "egalite"),

    PARENT_T("education-prioritaire", "Éducation prioritaire", "l’éducation prioritaire"),
    CHILD("ep-reseau", "Travail en réseau REP et REP+", "education-prioritaire"),
    CHILD("ep-liaison", "Liaison école-collège", "education-prioritaire"),
    CHILD("ep-familles", "Relations avec les familles", "education-prioritaire"),
    CHILD("ep-moins-trois-ans", "Scolarisation des moins de trois ans", "education-prioritaire"),
    CHILD("ep-dedoublement", "Classes dédoublées de CP et de CE1", "education-prioritaire"),

    PARENT_T("oral", "Oral et éloquence", "l’oral et l’éloquence"),
    CHILD("oral-grand-oral", "Préparation au Grand oral", "oral"),
    CHILD("oral-debat", "Oral réflexif et débat argumenté", "oral"),
    CHILD("oral-lecture", "Lecture à voix haute", "oral"),
    CHILD("oral-eloquence", "Éloquence et concours de plaidoirie", "oral"),

    PARENT_T("edd", "Éducation au développement durable", "l’éducation au développement durable"),
    CHILD("edd-biodiversite", "Biodiversité et aires éducatives", "edd"),
    CHILD("edd-eco-delegues", "Éco-délégués et labellisation E3D", "edd"),
    CHILD("edd-climat", "Changement climatique et transition énergétique", "edd"),
    CHILD("edd-alimentation", "Éducation à l’alimentation durable", "edd"),

    PARENT_T("formation-formateurs", "Accompagnement des équipes et formation de formateurs",
             "l’accompagnement des équipes"),
    CHILD("ff-analyse-pratiques", "Analyse de pratiques professionnelles", "formation-formateurs"),
    CHILD("ff-tutorat", "Tutorat et accompagnement des stagiaires", "formation-formateurs"),
    CHILD("ff-hybride", "Conception de formations hybrides", "formation-formateurs"),
    CHILD("ff-certifications", "Préparation au CAFIPEMF et au CAFFA", "formation-formateurs"),
    CHILD("ff-neo-titulaires", "Accompagnement des néo-titulaires (T1 à T6)",
          "formation-formateurs"),
    CHILD("ff-ingenierie", "Ingénierie de formation", "formation-formateurs"),

    PARENT_T("recherche", "Recherche en éducation", "la recherche en éducation"),
    CHILD("recherche-collaborative", "Méthodologie de la recherche collaborative", "recherche"),
    CHILD("recherche-memoires", "Encadrement de mémoires MEEF", "recherche"),
    CHILD("recherche-impact", "Évaluation d’impact et essais contrôlés", "recherche"),
    CHILD("recherche-cognition", "Sciences cognitives et apprentissages", "recherche"),
    CHILD("recherche-lea", "Lieux d’éducation associés (LéA)", "recherche"),

    PARENT_T("orientation", "Orientation et parcours des élèves",
             "l’orientation et les parcours des élèves"),
    CHILD("orientation-avenir", "Parcours Avenir et découverte des métiers", "orientation"),
    CHILD("orientation-decrochage", "Prévention du décrochage scolaire", "orientation"),
    CHILD("orientation-accompagnement", "Accompagnement personnalisé", "orientation"),

    PARENT_D("didactique-maths", "Didactique des mathématiques", "la didactique des mathématiques"),
    CHILD("maths-geometrie", "Géométrie et espace", "didactique-maths"),
    CHILD("maths-calcul-mental", "Calcul mental", "didactique-maths"),
    CHILD("maths-problemes", "Résolution de problèmes", "didactique-maths"),
    CHILD("maths-nombres", "Nombres, fractions et décimaux", "didactique-maths"),
    CHILD("maths-grandeurs", "Grandeurs et mesures", "didactique-maths"),
    CHILD("maths-statistiques", "Probabilités et statistiques", "didactique-maths"),

    PARENT_D("francais", "Français", "l’enseignement du français"),
    CHILD("francais-lecture", "Lecture-écriture au cycle 2", "francais"),
    CHILD("francais-comprehension", "Compréhension de l’écrit", "francais"),
    CHILD("francais-grammaire", "Grammaire et étude de la langue", "francais"),
    CHILD("francais-jeunesse", "Littérature de jeunesse", "francais"),
    CHILD("francais-production", "Production d’écrits", "francais"),
    CHILD("francais-vocabulaire", "Vocabulaire et orthographe", "francais"),

    PARENT_D("lettres", "Lettres et littérature", "l’enseignement des lettres"),
    CHILD("lettres-analyse", "Analyse littéraire au lycée", "lettres"),
    CHILD("lettres-antiquite", "Langues et cultures de l’Antiquité", "lettres"),
    CHILD("lettres-eaf", "Préparation à l’épreuve anticipée de français", "lettres"),
    CHILD("lettres-theatre", "Lecture et pratique du théâtre", "lettres"),

    PARENT_D("maternelle", "École maternelle", "l’école maternelle"),
    CHILD("maternelle-langage", "Langage oral en maternelle", "maternelle"),
    CHILD("maternelle-nombre", "Construction du nombre en maternelle", "maternelle"),
    CHILD("maternelle-explorer", "Explorer le monde", "maternelle"),
    CHILD("maternelle-jeu", "Jeu et apprentissages", "maternelle"),
    CHILD("maternelle-accueil", "Accueil des tout-petits et des familles", "maternelle"),

    PARENT_D("langues", "Langues vivantes", "l’enseignement des langues vivantes"),
    CHILD("langues-precoce", "Enseignement précoce de l’anglais", "langues"),
    CHILD("langues-actionnelle", "Approche actionnelle et tâche finale", "langues"),
    CHILD("langues-certifications", "Certifications en langues", "langues"),
    CHILD("langues-mobilite", "Mobilités et partenariats européens (eTwinning)", "langues"),
    CHILD("langues-dnl", "Sections européennes et DNL", "langues"),
    CHILD("langues-oral", "Évaluation de l’oral en langue", "langues"),

    PARENT_D("sciences", "Sciences et technologie", "l’enseignement des sciences"),
    CHILD("sciences-investigation", "Démarche d’investigation", "sciences"),
    CHILD("sciences-vivant", "Le vivant et son évolution", "sciences"),
    CHILD("sciences-experimentale", "Physique-chimie expérimentale", "sciences"),
    CHILD("sciences-objets", "Technologie et objets techniques", "sciences"),
    CHILD("sciences-securite", "Sécurité au laboratoire", "sciences"),
    CHILD("sciences-esprit-critique", "Culture scientifique et esprit critique", "sciences"),

    PARENT_D("eps", "Éducation physique et sportive", "l’EPS"),
    CHILD("eps-savoir-nager", "Savoir nager", "eps"),
    CHILD("eps-pleine-nature", "Activités physiques de pleine nature", "eps"),
    CHILD("eps-sport-scolaire", "Sport scolaire (USEP, UNSS)", "eps"),
    CHILD("eps-inclusion", "EPS et inclusion des élèves à besoins particuliers", "eps"),
    CHILD("eps-evaluation", "Évaluation certificative en EPS", "eps"),
    CHILD("eps-activite-quotidienne", "Trente minutes d’activité physique quotidienne", "eps"),

    PARENT_D("arts", "Arts et culture", "l’éducation artistique et culturelle"),
    CHILD("arts-plastiques", "Arts plastiques et pratiques numériques", "arts"),
    CHILD("arts-chorale", "Éducation musicale et chant choral", "arts"),
    CHILD("arts-peac", "Parcours d’éducation artistique et culturelle", "arts"),
    CHILD("arts-theatre", "Théâtre et expression corporelle", "arts"),
    CHILD("arts-histoire", "Histoire des arts", "arts"),

    PARENT_D("histoire-geo", "Histoire-géographie", "l’histoire-géographie"),
    CHILD("hg-memoire", "Enseignement des mémoires et des conflits", "histoire-geo"),
    CHILD("hg-territoires", "Géographie des territoires proches", "histoire-geo"),
    CHILD("hg-sources", "Travail sur les sources et les archives", "histoire-geo"),
    CHILD("hg-cartographie", "Croquis et cartographie", "histoire-geo"),

    PARENT_D("economie", "Sciences économiques et gestion", "l’économie et la gestion"),
    CHILD("economie-lycee", "Économie au lycée", "economie"),
    CHILD("economie-management", "Management des organisations", "economie"),
    CHILD("economie-finances", "Éducation financière", "economie"),
    CHILD("economie-entreprendre", "Entrepreneuriat et mini-entreprises", "economie"),

    PARENT_D("philosophie", "Philosophie", "la philosophie"),
    CHILD("philo-enfants", "Philosophie pour enfants", "philosophie"),
    CHILD("philo-dissertation", "Dissertation et explication de texte", "philosophie"),
    CHILD("philo-dvp", "Discussion à visée philosophique", "philosophie"),

    PARENT_D("documentation", "Documentation", "la documentation et le CDI"),
    CHILD("doc-recherche", "Recherche documentaire", "documentation"),
    CHILD("doc-politique", "Politique documentaire du CDI", "documentation"),
    CHILD("doc-lecture", "Promotion de la lecture", "documentation"),

    PARENT_D("vie-scolaire", "Vie scolaire et éducation", "la vie scolaire"),
    CHILD("vs-citoyennete", "Instances lycéennes et citoyenneté", "vie-scolaire"),
    CHILD("vs-assiduite", "Suivi de l’assiduité", "vie-scolaire"),
    CHILD("vs-internat", "Internat et vie collective", "vie-scolaire"),
    CHILD("vs-partenariats", "Partenariats éducatifs et associatifs", "vie-scolaire"),

    PARENT_D("informatique", "Informatique (NSI, SNT)", "l’informatique au lycée"),
    CHILD("info-python", "Programmation en Python", "informatique"),
    CHILD("info-donnees", "Bases de données", "informatique"),
    CHILD("info-reseaux", "Réseaux et Internet", "informatique"),
    CHILD("info-snt", "Sciences numériques et technologie (SNT)", "informatique"),

    PARENT_D("voie-pro", "Voie professionnelle", "la voie professionnelle"),
    CHILD("pro-co-intervention", "Co-intervention", "voie-pro"),
    CHILD("pro-chef-oeuvre", "Réalisation du chef-d’œuvre", "voie-pro"),
    CHILD("pro-pfmp", "Périodes de formation en milieu professionnel", "voie-pro"),
};

#define COMPETENCE_DEFS ((int)NELEM(competences))

/* ---- data: communes, names ---- */

/* A commune that heads circonscriptions: how many at the académie scale (ten times as many at
 * the national scale). */
struct commune_def {
    const char *site, *name, *slug;
    int circos;
};

static const struct commune_def communes[] = {
    {"ain", "Bourg-en-Bresse", "bourg", 2},
    {"ain", "Oyonnax", "oyonnax", 1},
    {"ain", "Ambérieu-en-Bugey", "amberieu", 1},
    {"ain", "Belley", "belley", 1},
    {"ain", "Gex", "gex", 1},
    {"ain", "Trévoux", "trevoux", 1},
    {"ain", "Valserhône", "valserhone", 1},
    {"loire", "Saint-Étienne", "saint-etienne", 4},
    {"loire", "Roanne", "roanne", 2},
    {"loire", "Montbrison", "montbrison", 1},
    {"loire", "Firminy", "firminy", 1},
    {"loire", "Saint-Chamond", "saint-chamond", 1},
    {"loire", "Feurs", "feurs", 1},
    {"rhone", "Lyon", "lyon", 8},
    {"rhone", "Villeurbanne", "villeurbanne", 2},
    {"rhone", "Vénissieux", "venissieux", 1},
    {"rhone", "Vaulx-en-Velin", "vaulx-en-velin", 1},
    {"rhone", "Bron", "bron", 1},
    {"rhone", "Villefranche-sur-Saône", "villefranche", 2},
    {"rhone", "Givors", "givors", 1},
    {"rhone", "Oullins", "oullins", 1},
    {"rhone", "Rillieux-la-Pape", "rillieux", 1},
    {"rhone", "Saint-Priest", "saint-priest", 1},
    {"rhone", "Meyzieu", "meyzieu", 1},
    {"rhone", "Tarare", "tarare", 1},
    {"rhone", "Caluire-et-Cuire", "caluire", 1},
};

/* Department number of each site, the first three digits of a UAI. */
static int site_departement(const char *site)
{
    if (strcmp(site, "ain") == 0)
        return 1;
    if (strcmp(site, "loire") == 0)
        return 42;
    return 69;
}

static const char *const place_names[] = {
    "Les Tilleuls",  "Les Marronniers", "Les Cèdres",  "La Source",   "Les Vignes",
    "Le Mail",       "Les Charmilles",  "Les Genêts",  "Les Acacias", "Le Plateau",
    "Les Lilas",     "Le Lac",          "Les Saules",  "La Roseraie", "Les Platanes",
    "Les Glycines",  "Les Hirondelles", "Le Val",      "Les Coteaux", "Le Bourg",
    "Les Prés",      "Le Parc",         "Les Érables", "Le Moulin",   "La Colline",
    "Les Peupliers", "Le Verger",       "Les Mûriers", "La Rivière",  "Les Sources",
    "Le Bois joli",  "Les Jardins",     "La Plaine",   "Les Balmes",  "Le Chêne",
    "Les Noyers",    "Les Iris",        "Le Centre",   "La Gare",     "Les Terrasses",
};

/* Common first and last names. Pairs that would spell a well-known person were avoided by
 * leaving out the names that make them. */
const char *const demo_first_names[] = {
    "Nathalie", "Isabelle", "Sylvie",    "Céline",     "Stéphanie", "Sandrine",   "Valérie",
    "Aurélie",  "Émilie",   "Julie",     "Caroline",   "Sophie",    "Virginie",   "Laetitia",
    "Delphine", "Anne",     "Marie",     "Camille",    "Élodie",    "Claire",     "Mélanie",
    "Audrey",   "Laure",    "Hélène",    "Christelle", "Karine",    "Florence",   "Séverine",
    "Amandine", "Pauline",  "Charlotte", "Lucie",      "Manon",     "Sarah",      "Chloé",
    "Léa",      "Inès",     "Clémence",  "Marion",     "Agnès",     "Béatrice",   "Cécile",
    "Magali",   "Estelle",  "Nicolas",   "Julien",     "Sébastien", "Christophe", "Stéphane",
    "Frédéric", "David",    "Vincent",   "Thomas",     "Guillaume", "Jérôme",     "Cédric",
    "Mathieu",  "Fabrice",  "Franck",    "Arnaud",     "Romain",    "Benjamin",   "Alexandre",
    "Maxime",   "Antoine",  "Damien",    "Yannick",    "Grégory",   "Ludovic",    "Bruno",
    "Thierry",  "Éric",     "Pascal",    "Emmanuel",   "Philippe",  "Hugo",       "Lucas",
    "Samuel",   "Florian",  "Kévin",     "Jonathan",   "Rémi",      "Adrien",     "Baptiste",
    "Quentin",  "Yasmine",  "Karim",     "Nadia",      "Mehdi",     "Sofiane",    "Leïla",
};

const char *const demo_last_names[] = {
    "Martin",    "Bernard",  "Thomas",    "Petit",      "Robert",    "Richard",  "Durand",
    "Dubois",    "Moreau",   "Laurent",   "Simon",      "Michel",    "Lefebvre", "Leroy",
    "Roux",      "David",    "Morel",     "Fournier",   "Girard",    "Bonnet",   "Fontaine",
    "Vincent",   "Muller",   "Lefèvre",   "Faure",      "André",     "Mercier",  "Guérin",
    "Boyer",     "Garnier",  "Chevalier", "François",   "Legrand",   "Gauthier", "Garcia",
    "Perrin",    "Robin",    "Clément",   "Morin",      "Nicolas",   "Roussel",  "Mathieu",
    "Gautier",   "Masson",   "Marchand",  "Duval",      "Dumont",    "Lemaire",  "Noël",
    "Meyer",     "Dufour",   "Meunier",   "Brun",       "Blanchard", "Giraud",   "Joly",
    "Rivière",   "Brunet",   "Gaillard",  "Barbier",    "Arnaud",    "Martinez", "Gérard",
    "Roche",     "Renard",   "Schmitt",   "Roy",        "Leroux",    "Colin",    "Vidal",
    "Caron",     "Picard",   "Roger",     "Fabre",      "Aubert",    "Lemoine",  "Renaud",
    "Lacroix",   "Philippe", "Bourgeois", "Pierre",     "Benoît",    "Rey",      "Leclerc",
    "Payet",     "Rolland",  "Guillaume", "Lecomte",    "Lopez",     "Jean",     "Dupuy",
    "Guillot",   "Hubert",   "Berger",    "Carpentier", "Sanchez",   "Dupuis",   "Louis",
    "Deschamps", "Huet",     "Vasseur",   "Perret",     "Collet",    "Prévost",  "Charpentier",
    "Bailly",    "Chauvin",  "Perrier",   "Marty",      "Bouvier",   "Cordier",  "Chapuis",
    "Besson",    "Michaud",  "Vial",      "Poulain",    "Ferrand",   "Bruyère",  "Jacquet",
    "Thévenet",  "Mathon",   "Giroud",    "Berthet",    "Chambon",   "Bonnard",  "Dubreuil",
    "Benali",    "Haddad",   "Nguyen",    "Ferreira",   "Da Silva",  "Le Gall",  "Mansouri",
};

const int demo_first_names_count = (int)NELEM(demo_first_names);
const int demo_last_names_count = (int)NELEM(demo_last_names);

/* ---- data: sentence templates ---- */

static const char *const refusal_reasons[] = {
    "Expérience de formation insuffisamment documentée.",
    "Aucune action de formation attestée dans ce domaine.",
    "Niveau déclaré supérieur aux expériences présentées ; redéclarer au niveau 2.",
    "Compétence à préciser : joindre le bilan d’une action menée.",
    "Domaine hors du périmètre du collectif ; redéposer auprès du collectif concerné.",
};

/* Biographies: one sentence, the text before and after a theme phrase ("l’école inclusive").
 * Templates are split rather than used as formats: format strings stay constants. */
struct sentence {
    const char *before, *after;
};

static const struct sentence bio_templates[] = {
    {"Intervient en formation initiale et continue sur ", "."},
    {"Conçoit et anime des formations sur ", ", en lien avec la recherche."},
    {"Anime des ateliers d’analyse de pratiques autour de ", "."},
    {"Accompagne des équipes d’école et d’établissement sur ", "."},
    {"Formation de formateurs et accompagnement de projets sur ", "."},
    {"S’intéresse particulièrement à ", " et à la liaison entre les degrés."},
};

/* Experience titles by kind, followed by a competence label in guillemets. */
static const char *const titles_fi[] = {
    "Cours en master MEEF",
    "Atelier d’analyse de pratiques en M1 MEEF",
    "Suivi de stagiaires en alternance",
    "Tutorat de professeurs stagiaires",
};
static const char *const titles_fc[] = {
    "Animation pédagogique de circonscription",
    "Stage du plan académique de formation",
    "Formation d’initiative locale (FIL)",
    "Action locale prioritaire interdegrés",
    "Parcours m@gistère",
    "Constellation de formation",
};
static const char *const titles_projet[] = {
    "Accompagnement d’un projet d’établissement", "Lieu d’éducation associé (LéA)",
    "Projet d’innovation, démarche POLLEN", NULL, /* "Recherche collaborative avec <partner>" */
};

/* ---- the accounts ---- */

enum scope_source { SRC_NONE, SRC_ESTABLISHMENT, SRC_CIRCONSCRIPTION, SRC_PARCOURS };

struct account_def {
    const char *login, *name;
    enum role role;
    enum scope_kind scope;
    enum scope_source source;
};

static const struct account_def account_defs[DEMO_ACCOUNTS] = {
    {"coordination", "Équipe de coordination (démo)", ROLE_COORDINATOR, SCOPE_NONE, SRC_NONE},
    {"pilote", "Pilote de collectif (démo)", ROLE_PILOT, SCOPE_NONE, SRC_NONE},
    {"copil", "Comité de pilotage (démo)", ROLE_STEERING, SCOPE_NONE, SRC_NONE},
    {"inspecteur", "Inspecteur IA-IPR (démo)", ROLE_INSPECTOR, SCOPE_NONE, SRC_NONE},
    {"chef.etab", "Chef d’établissement (démo)", ROLE_REQUESTER, SCOPE_ESTABLISHMENT,
     SRC_ESTABLISHMENT},
    {"ien.circo", "IEN de circonscription (démo)", ROLE_REQUESTER, SCOPE_CIRCONSCRIPTION,
     SRC_CIRCONSCRIPTION},
    {"resp.parcours", "Responsable du parcours MEEF PE (démo)", ROLE_PARCOURS_MANAGER,
     SCOPE_PARCOURS, SRC_PARCOURS},
    {"formateur", "", ROLE_TRAINER, SCOPE_SELF, SRC_NONE}, /* named after its trainer */
    {"bureau.stages", "Bureau des stages (démo)", ROLE_PLACEMENT_OFFICE, SCOPE_NONE, SRC_NONE},
    {"etudiant", "Étudiant MEEF (démo)", ROLE_STUDENT, SCOPE_SELF, SRC_NONE},
    {"referent", "Référent de suivi (démo)", ROLE_FOLLOWUP_REFERENT, SCOPE_SELF, SRC_NONE},
    {"admin", "Administrateur (démo)", ROLE_ADMIN, SCOPE_NONE, SRC_NONE},
    {"recherche", "Cellule recherche/terrain (démo)", ROLE_RESEARCH, SCOPE_NONE, SRC_NONE},
};

enum { ACC_PILOT = 1, ACC_INSPECTOR = 3, ACC_TRAINER = 7, ACC_STUDENT = 9 };

/* ---- distributions of trainers ---- */

static const struct weighted degrees[] = {{"1D", 45}, {"2D", 35}, {"SUP", 20}};
static const struct weighted corps_1d[] = {
    {"pemf", 35}, {"cpc", 22}, {"cpd", 6}, {"professeur_ecoles", 37}};
static const struct weighted corps_2d[] = {
    {"formateur_academique", 38}, {"certifie", 32}, {"agrege", 14}, {"cpe", 10}, {"psy_en", 6}};
static const struct weighted corps_sup[] = {
    {"enseignant_chercheur", 45}, {"prag", 20}, {"prce", 20}, {"doctorant", 15}};
static const struct weighted inst_sup[] = {
    {"inspe", 40}, {"lyon1", 22}, {"lyon2", 18}, {"lyon3", 8}, {"ujm", 12}};
static const struct weighted sites[] = {{"rhone", 55}, {"loire", 25}, {"ain", 20}};
static const struct weighted disc_1d[] = {{"polyvalent", 88},     {"eps", 4},
                                          {"arts_plastiques", 2}, {"education_musicale", 2},
                                          {"anglais", 3},         {"allemand", 1}};
/* Conseillers pédagogiques départementaux are specialists. */
static const struct weighted disc_cpd[] = {{"eps", 30},
                                           {"arts_plastiques", 18},
                                           {"education_musicale", 17},
                                           {"anglais", 15},
                                           {"polyvalent", 20}};
static const struct weighted disc_2d[] = {
    {"lettres", 14},
    {"mathematiques", 13},
    {"histoire_geographie", 10},
    {"anglais", 10},
    {"espagnol", 6},
    {"allemand", 4},
    {"italien", 2},
    {"langues_regionales", 1},
    {"svt", 7},
    {"physique_chimie", 7},
    {"technologie", 5},
    {"sti", 3},
    {"biotechnologies", 2},
    {"eps", 9},
    {"arts_plastiques", 3},
    {"education_musicale", 3},
    {"philosophie", 2},
    {"ses", 3},
    {"economie_gestion", 4},
    {"documentation", 3},
    {"nsi", 2},
    {"lettres_classiques", 2},
};
static const struct weighted disc_sup[] = {
    {"sciences_education", 26},
    {"mathematiques", 10},
    {"lettres", 9},
    {"histoire_geographie", 6},
    {"anglais", 6},
    {"espagnol", 2},
    {"allemand", 2},
    {"svt", 6},
    {"physique_chimie", 5},
    {"technologie", 2},
    {"eps", 7},
    {"arts_plastiques", 2},
    {"education_musicale", 2},
    {"philosophie", 3},
    {"ses", 3},
    {"economie_gestion", 2},
    {"documentation", 1},
    {"nsi", 3},
    {"lettres_classiques", 1},
};

/* Weekday patterns (bit 0 Monday … bit 5 Saturday). First-degree trainers are freed on
 * Wednesdays or on their décharge days; academic trainers come on Monday, Tuesday, Thursday. */
struct pattern {
    unsigned bits;
    int weight;
};

static const struct pattern days_1d[] = {{0x04, 30}, {0x0b, 12}, {0x0a, 12}, {0x18, 8}, {0x09, 8},
                                         {0x0c, 10}, {0x06, 10}, {0x24, 4},  {0x05, 6}};
static const struct pattern days_fa[] = {
    {0x0b, 40}, {0x0f, 20}, {0x0a, 20}, {0x09, 10}, {0x03, 10}};
static const struct pattern days_2d[] = {{0x08, 20}, {0x02, 15}, {0x01, 10}, {0x10, 10},
                                         {0x04, 10}, {0x0a, 15}, {0x11, 10}, {0x0c, 10}};

static unsigned draw_pattern(struct rng *r, const struct pattern *p, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += p[i].weight;
    int x = rng_below(r, total);
    for (int i = 0; i < n - 1; i++) {
        if (x < p[i].weight)
            return p[i].bits;
        x -= p[i].weight;
    }
    return p[n - 1].bits;
}

/* k distinct days among Monday..Friday. */
static unsigned random_days(struct rng *r, int k)
{
    unsigned bits = 0;
    for (int got = 0; got < k;) {
        unsigned b = 1u << rng_below(r, 5);
        if (!(bits & b)) {
            bits |= b;
            got++;
        }
    }
    return bits;
}

static unsigned draw_weekdays(struct rng *r, const char *corps, const char *degree)
{
    if (strcmp(corps, "cpc") == 0 || strcmp(corps, "cpd") == 0)
        return rng_percent(r, 30) ? 0x1f : 0x1f & ~(1u << rng_below(r, 5));
    if (strcmp(degree, "1D") == 0)
        return draw_pattern(r, days_1d, (int)NELEM(days_1d));
    if (strcmp(corps, "formateur_academique") == 0)
        return draw_pattern(r, days_fa, (int)NELEM(days_fa));
    if (strcmp(degree, "2D") == 0)
        return draw_pattern(r, days_2d, (int)NELEM(days_2d));
    unsigned bits = random_days(r, rng_range(r, 2, 4));
    if (strcmp(corps, "doctorant") == 0 && rng_percent(r, 15))
        bits |= 0x20;
    return bits;
}

/* Yearly hours a trainer can give, by corps: [lo, hi] in steps of 6. */
static int draw_quota(struct rng *r, const char *corps)
{
    static const struct {
        const char *corps;
        int lo, hi;
    } q[] = {
        {"pemf", 18, 72},
        {"cpc", 6, 48},
        {"cpd", 12, 60},
        {"professeur_ecoles", 6, 36},
        {"formateur_academique", 36, 108},
        {"certifie", 6, 54},
        {"agrege", 6, 54},
        {"cpe", 6, 36},
        {"psy_en", 6, 36},
        {"enseignant_chercheur", 12, 120},
        {"prag", 24, 120},
        {"prce", 24, 120},
        {"doctorant", 6, 64},
    };
    if (rng_percent(r, 4))
        return 0; /* not available this year */
    for (size_t i = 0; i < NELEM(q); i++)
        if (strcmp(q[i].corps, corps) == 0)
            return 6 * rng_range(r, q[i].lo / 6, q[i].hi / 6);
    return 24;
}

/* ---- the generator ---- */

enum { MAX_COMPS = 6, MAX_EXPS = 3, MAX_CIRCOS = 512 };

struct comp_pick {
    int def;   /* index in competences[] */
    int level; /* 1..4 */
    enum competence_state state;
    const char *reason;
    int decider; /* 0 none, else ACC_INSPECTOR or ACC_PILOT */
    int64_t declared_at, decided_at;
};

struct exp_pick {
    const char *kind;
    char title[240];
    int year, hours;
};

struct gen_trainer {
    struct trainer t;
    struct comp_pick comps[MAX_COMPS];
    int ncomps;
    struct exp_pick exps[MAX_EXPS];
    int nexps;
    int64_t updated_at;
};

struct gen {
    struct store *st;
    struct app_ctx ctx;
    struct demo_stats *stats;
    enum demo_scale scale;
    uint64_t seed;
    int64_t base; /* DEMO_BASE_DATE, 00:00 Paris */
    int64_t comp_ids[COMPETENCE_DEFS];
    int transversal[COMPETENCE_DEFS]; /* indexes of transversal children */
    int ntransversal;
    /* For each parent: its children are competences[first .. first+count). */
    int child_first[COMPETENCE_DEFS], child_count[COMPETENCE_DEFS];
    int parent_of[COMPETENCE_DEFS]; /* index of the parent, or itself for a parent */
    /* For each discipline: indexes of its disciplinary parents. */
    int disc_parents[NELEM(disciplines)][NELEM(disciplines[0].parents)];
    int disc_nparents[NELEM(disciplines)];
    char circo_codes[MAX_CIRCOS][48];
    int circo_commune[MAX_CIRCOS];
    int ncircos;
    struct rng trainer_rng;   /* the trainers' stream */
    struct gen_trainer first; /* trainer 0, drawn before the accounts to name "formateur" */
    char chef_uai[16];        /* scope of chef.etab */
    char ien_circo[48];       /* scope of ien.circo */
    /* What load_establishments created, for the internship places. */
    struct demo_establishment *estabs;
    int nestabs;
    struct buf fold; /* scratch for e-mail addresses */
    char pwhash[DEMO_ACCOUNTS][160];
};

__attribute__((format(printf, 2, 3))) static void fail_msg(struct gen *g, const char *fmt, ...)
{
    if (g->stats->error[0])
        return; /* keep the first, most precise message */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->stats->error, sizeof g->stats->error, fmt, ap);
    va_end(ap);
    if (n < 0)
        g->stats->error[0] = '\0';
}

static int def_index(const char *code)
{
    for (int i = 0; i < COMPETENCE_DEFS; i++)
        if (strcmp(competences[i].code, code) == 0)
            return i;
    return -1;
}

static int discipline_index(const char *code)
{
    for (int i = 0; i < (int)NELEM(disciplines); i++)
        if (strcmp(disciplines[i].code, code) == 0)
            return i;
    return 0;
}

/* Fills the lookup tables of g from the static referential. */
static void index_referential(struct gen *g)
{
    for (int i = 0; i < COMPETENCE_DEFS; i++) {
        const char *p = competences[i].parent;
        int pi = p ? def_index(p) : i;
        g->parent_of[i] = pi < 0 ? i : pi;
        if (p && pi >= 0) {
            if (g->child_count[pi] == 0)
                g->child_first[pi] = i;
            g->child_count[pi]++;
            if (strcmp(competences[pi].kind, "transversal") == 0)
                g->transversal[g->ntransversal++] = i;
        }
    }
    for (int d = 0; d < (int)NELEM(disciplines); d++)
        for (int k = 0; k < (int)NELEM(disciplines[d].parents) && disciplines[d].parents[k]; k++) {
            int pi = def_index(disciplines[d].parents[k]);
            if (pi >= 0 && g->child_count[pi] > 0)
                g->disc_parents[d][g->disc_nparents[d]++] = pi;
        }
}

/* The phrase of a competence's parent, for biographies. */
static const char *phrase_of(const struct gen *g, int def)
{
    const char *p = competences[g->parent_of[def]].phrase;
    return p ? p : "la formation";
}

void demo_email_part(struct buf *fold, const char *s, char *out, size_t n)
{
    buf_reset(fold);
    size_t k = 0;
    if (text_fold(s, strlen(s), fold) == 0)
        for (size_t i = 0; i < fold->len && k + 1 < n; i++) {
            char c = fold->data[i];
            bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (alnum)
                out[k++] = c;
            else if (k > 0 && out[k - 1] != '-')
                out[k++] = '-';
        }
    while (k > 0 && out[k - 1] == '-')
        k--;
    out[k] = '\0';
}

static const char *email_domain(const char *institution)
{
    static const struct {
        const char *inst, *domain;
    } d[] = {
        {"inspe", "inspe-lyon.example"},    {"lyon1", "univ-lyon1.example"},
        {"lyon2", "univ-lyon2.example"},    {"lyon3", "univ-lyon3.example"},
        {"ujm", "univ-st-etienne.example"},
    };
    for (size_t i = 0; i < NELEM(d); i++)
        if (strcmp(d[i].inst, institution) == 0)
            return d[i].domain;
    return "ac-lyon.example";
}

static const char *site_for(struct rng *r, const char *institution)
{
    if (strcmp(institution, "ujm") == 0)
        return "loire";
    if (strcmp(institution, "lyon2") == 0 || strcmp(institution, "lyon3") == 0)
        return "rhone";
    if (strcmp(institution, "lyon1") == 0)
        return rng_percent(r, 12) ? "ain" : "rhone"; /* the Bourg-en-Bresse campus */
    return RNG_CODE(r, sites);
}

/* A time of day during office hours, after 00:00 Paris of a day. */
static int64_t office_hours(struct rng *r)
{
    return 8 * 3600 + rng_below(r, 10 * 3600);
}

/* Draws a competence not yet picked, from the trainer's disciplinary parents or the transversal
 * ones. -1 when 50 draws found only duplicates (cannot happen with 6 picks out of 50). */
static int draw_competence(struct gen *g, struct rng *r, int disc, const struct gen_trainer *gt)
{
    int nparents = g->disc_nparents[disc];
    for (int attempt = 0; attempt < 50; attempt++) {
        int def;
        if (nparents > 0 && rng_percent(r, 55)) {
            int pi = g->disc_parents[disc][rng_below(r, nparents)];
            def = g->child_first[pi] + rng_below(r, g->child_count[pi]);
        } else {
            def = g->transversal[rng_below(r, g->ntransversal)];
        }
        bool dup = false;
        for (int i = 0; i < gt->ncomps; i++)
            dup = dup || gt->comps[i].def == def;
        if (!dup)
            return def;
    }
    return -1;
}

static void draw_state(struct gen *g, struct rng *r, struct comp_pick *c, int state)
{
    static const int state_w[] = {25, 65, 10}; /* declared, validated, refused */
    c->state = (enum competence_state)(state >= 0 ? state : rng_weighted(r, state_w, 3));
    c->reason = NULL;
    c->decider = 0;
    c->decided_at = 0;
    if (c->state == COMPETENCE_DECLARED) {
        /* Waiting for the collectif: declared during the last months. */
        c->declared_at = g->base - (int64_t)rng_range(r, 1, 150) * DAY + office_hours(r);
        return;
    }
    c->declared_at = g->base - (int64_t)rng_range(r, 30, 900) * DAY + office_hours(r);
    c->decided_at = c->declared_at + (int64_t)rng_range(r, 1, 60) * DAY + rng_below(r, 4 * 3600);
    if (c->decided_at >= g->base)
        c->decided_at = g->base - 3600;
    c->decider = rng_percent(r, 55) ? ACC_INSPECTOR : ACC_PILOT;
    if (c->state == COMPETENCE_REFUSED)
        c->reason = PICK(r, refusal_reasons);
}

static void draw_experience(struct rng *r, const struct gen_trainer *gt, struct exp_pick *e)
{
    static const int kind_w[] = {40, 40, 20};
    int kind = rng_weighted(r, kind_w, 3);
    const char *theme = competences[gt->comps[rng_below(r, gt->ncomps)].def].label;
    const char *what;
    e->year = rng_range(r, 2015, 2026);
    if (kind == 0) {
        e->kind = "FI";
        e->hours = 3 * rng_range(r, 2, 16);
        what = PICK(r, titles_fi);
    } else if (kind == 1) {
        e->kind = "FC";
        e->hours = 3 * rng_range(r, 1, 10);
        what = PICK(r, titles_fc);
    } else {
        e->kind = "projet";
        e->hours = 6 * rng_range(r, 1, 10);
        what = PICK(r, titles_projet);
    }
    int n;
    if (what)
        n = snprintf(e->title, sizeof e->title, "%s « %s »", what, theme);
    else
        n = snprintf(e->title, sizeof e->title, "Recherche collaborative avec %s « %s »",
                     PICK(r, partners).short_name, theme);
    if (n < 0 || (size_t)n >= sizeof e->title)
        snprintf(e->title, sizeof e->title, "%.200s", theme);
}

/* Draws trainer number index (0-based). force_demo makes the profile the "formateur" account
 * shows: at least one validated and two declared competences. */
static void gen_trainer(struct gen *g, struct rng *r, int64_t index, bool force_demo,
                        struct gen_trainer *gt)
{
    memset(gt, 0, sizeof *gt);
    struct trainer *t = &gt->t;
    const char *degree = RNG_CODE(r, degrees);
    const char *corps, *inst, *disc;
    if (strcmp(degree, "1D") == 0) {
        corps = RNG_CODE(r, corps_1d);
        inst = "rectorat";
        disc = strcmp(corps, "cpd") == 0 ? RNG_CODE(r, disc_cpd) : RNG_CODE(r, disc_1d);
    } else if (strcmp(degree, "2D") == 0) {
        corps = RNG_CODE(r, corps_2d);
        inst = "rectorat";
        if (strcmp(corps, "cpe") == 0)
            disc = "education";
        else if (strcmp(corps, "psy_en") == 0)
            disc = "orientation";
        else
            disc = RNG_CODE(r, disc_2d);
    } else {
        corps = RNG_CODE(r, corps_sup);
        inst = RNG_CODE(r, inst_sup);
        disc = RNG_CODE(r, disc_sup);
    }
    snprintf(t->first_name, sizeof t->first_name, "%s", PICK(r, demo_first_names));
    snprintf(t->last_name, sizeof t->last_name, "%s", PICK(r, demo_last_names));
    snprintf(t->degree, sizeof t->degree, "%s", degree);
    snprintf(t->corps, sizeof t->corps, "%s", corps);
    snprintf(t->institution, sizeof t->institution, "%s", inst);
    snprintf(t->discipline, sizeof t->discipline, "%s", disc);
    snprintf(t->site, sizeof t->site, "%s", site_for(r, inst));
    t->weekdays = draw_weekdays(r, corps, degree);
    t->hours_quota = draw_quota(r, corps);

    char fp[TRAINER_NAME_MAX + 1], lp[TRAINER_NAME_MAX + 1];
    demo_email_part(&g->fold, t->first_name, fp, sizeof fp);
    demo_email_part(&g->fold, t->last_name, lp, sizeof lp);
    int n = snprintf(t->email, sizeof t->email, "%s.%s.%lld@%s", fp, lp, (long long)(index + 1),
                     email_domain(inst));
    if (n < 0 || (size_t)n >= sizeof t->email)
        t->email[0] = '\0';

    static const int ncomps_w[] = {10, 25, 30, 20, 10, 5}; /* 1..6 competences */
    int want = force_demo ? 4 : 1 + rng_weighted(r, ncomps_w, 6);
    int d = discipline_index(disc);
    static const int level_w[] = {10, 35, 35, 20};
    for (int i = 0; i < want; i++) {
        int def = draw_competence(g, r, d, gt);
        if (def < 0)
            break;
        struct comp_pick *c = &gt->comps[gt->ncomps++];
        c->def = def;
        c->level = 1 + rng_weighted(r, level_w, 4);
        int forced = -1;
        if (force_demo)
            forced = i == 0 ? COMPETENCE_VALIDATED : i <= 2 ? COMPETENCE_DECLARED : -1;
        draw_state(g, r, c, forced);
        if (c->declared_at > gt->updated_at)
            gt->updated_at = c->declared_at;
        if (c->decided_at > gt->updated_at)
            gt->updated_at = c->decided_at;
    }
    if (gt->updated_at == 0)
        gt->updated_at = g->base - (int64_t)rng_range(r, 1, 365) * DAY;

    const char *phrase = gt->ncomps ? phrase_of(g, gt->comps[0].def) : "la formation";
    const struct sentence *bio = &PICK(r, bio_templates);
    n = snprintf(t->bio, sizeof t->bio, "%s%s%s", bio->before, phrase, bio->after);
    if (n < 0 || (size_t)n >= sizeof t->bio)
        t->bio[0] = '\0';

    static const int nexps_w[] = {20, 35, 30, 15}; /* 0..3 experiences */
    gt->nexps = force_demo ? 2 : rng_weighted(r, nexps_w, 4);
    if (gt->ncomps == 0)
        gt->nexps = 0; /* titles name one of the competences */
    for (int i = 0; i < gt->nexps; i++)
        draw_experience(r, gt, &gt->exps[i]);
}

static void count_comp(struct demo_stats *s, enum competence_state state)
{
    s->trainer_competences++;
    if (state == COMPETENCE_VALIDATED)
        s->validated++;
    else if (state == COMPETENCE_REFUSED)
        s->refused++;
    else
        s->declared++;
}

/* Writes one drawn trainer. store_trainer_put indexes the identity as it inserts (the foreign
 * keys want the trainer row before its competences), so one more reindex after the competences
 * and experiences is the least this store API allows. */
static int write_trainer(struct gen *g, struct gen_trainer *gt, int64_t *id)
{
    int rc = store_trainer_put(g->st, &gt->t, gt->updated_at, id);
    if (rc) {
        fail_msg(g, "écriture du formateur %s %s impossible", gt->t.first_name, gt->t.last_name);
        return rc;
    }
    for (int i = 0; i < gt->ncomps; i++) {
        const struct comp_pick *c = &gt->comps[i];
        int64_t by = c->decider ? g->stats->accounts[c->decider].id : 0;
        rc = store_trainer_competence_set(g->st, *id, g->comp_ids[c->def], c->level, c->state,
                                          c->reason, by, c->declared_at, c->decided_at);
        if (rc) {
            fail_msg(g, "écriture d’une compétence du formateur n° %lld impossible",
                     (long long)*id);
            return rc;
        }
        count_comp(g->stats, c->state);
    }
    for (int i = 0; i < gt->nexps; i++) {
        const struct exp_pick *e = &gt->exps[i];
        rc = store_trainer_experience_add(g->st, *id, e->kind, e->title, e->year, e->hours);
        if (rc) {
            fail_msg(g, "écriture d’une expérience du formateur n° %lld impossible",
                     (long long)*id);
            return rc;
        }
        g->stats->experiences++;
    }
    rc = store_trainer_reindex(g->st, *id);
    if (rc)
        fail_msg(g, "indexation du formateur n° %lld impossible", (long long)*id);
    return rc;
}

/* ---- phases ---- */

static int load_referentials(struct gen *g)
{
    int rc = 0;
    for (size_t i = 0; i < NELEM(institutions) && rc == 0; i++) {
        rc = store_institution_add(g->st, institutions[i].code, institutions[i].name,
                                   institutions[i].kind);
        if (rc)
            fail_msg(g, "institution « %s » : %s", institutions[i].code,
                     rc == ERR_EXISTS ? "déjà présente dans la base" : "écriture impossible");
        else
            g->stats->institutions++;
    }
    for (size_t i = 0; i < NELEM(partners) && rc == 0; i++) {
        rc = store_institution_add(g->st, partners[i].code, partners[i].name, "recherche");
        if (rc == 0)
            rc = store_research_partner_add(g->st, partners[i].code, partners[i].name,
                                            partners[i].fields);
        if (rc) {
            fail_msg(g, "partenaire de recherche « %s » : %s", partners[i].code,
                     rc == ERR_EXISTS ? "déjà présent dans la base" : "écriture impossible");
        } else {
            g->stats->institutions++;
            g->stats->research_partners++;
        }
    }
    for (size_t i = 0; i < NELEM(disciplines) && rc == 0; i++) {
        rc = store_discipline_add(g->st, disciplines[i].code, disciplines[i].name);
        if (rc)
            fail_msg(g, "discipline « %s » : %s", disciplines[i].code,
                     rc == ERR_EXISTS ? "déjà présente dans la base" : "écriture impossible");
        else
            g->stats->disciplines++;
    }
    for (int i = 0; i < COMPETENCE_DEFS && rc == 0; i++) {
        const struct competence_def *c = &competences[i];
        const char *kind = competences[g->parent_of[i]].kind;
        rc = store_competence_add(g->st, c->code, c->label, kind, c->parent, &g->comp_ids[i]);
        if (rc) {
            fail_msg(g, "compétence « %s » : %s", c->code,
                     rc == ERR_EXISTS ? "déjà présente dans la base" : "écriture impossible");
            break;
        }
        g->stats->competences++;
    }
    return rc;
}

/* The letter of a UAI: the seven digits modulo 23, in an alphabet without I, O and Q. */
static char uai_key(int number)
{
    static const char alphabet[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    return alphabet[number % 23];
}

/* Circonscriptions: each commune's share, numbered when a commune has several. */
static int load_circonscriptions(struct gen *g, int mult)
{
    for (int c = 0; c < (int)NELEM(communes); c++) {
        int count = communes[c].circos * mult;
        for (int k = 1; k <= count; k++) {
            if (g->ncircos == MAX_CIRCOS)
                return ERR_TOOBIG;
            char *code = g->circo_codes[g->ncircos];
            char name[96];
            int n1 = snprintf(code, sizeof g->circo_codes[0], "%s-%s-%d", communes[c].site,
                              communes[c].slug, k);
            int n2 = count > 1 ? snprintf(name, sizeof name, "%s %d", communes[c].name, k)
                               : snprintf(name, sizeof name, "%s", communes[c].name);
            if (n1 < 0 || (size_t)n1 >= sizeof g->circo_codes[0] || n2 < 0 ||
                (size_t)n2 >= sizeof name)
                return ERR_TOOBIG;
            int rc = store_circonscription_add(g->st, code, name, communes[c].site);
            if (rc) {
                fail_msg(g, "circonscription « %s » : %s", code,
                         rc == ERR_EXISTS ? "déjà présente dans la base" : "écriture impossible");
                return rc;
            }
            if (!g->ien_circo[0] && strcmp(communes[c].site, "rhone") == 0)
                snprintf(g->ien_circo, sizeof g->ien_circo, "%s", code);
            g->circo_commune[g->ncircos++] = c;
            g->stats->circonscriptions++;
        }
    }
    return 0;
}

/* Establishments, spread evenly over the circonscriptions. UAI numbers climb by a random step
 * per department, so they stay unique without a lookup (the national scale reaches about 3,500
 * of the 10,000 numbers of the Rhône). */
static int load_establishments(struct gen *g, struct rng *r, int mult)
{
    static const int kind_w[] = {64, 23, 13};
    static const char *const ecole_kinds[] = {"École maternelle", "École élémentaire",
                                              "École primaire"};
    static const char *const lycee_kinds[] = {"Lycée", "Lycée professionnel", "Lycée polyvalent"};
    int next_number[3] = {100, 100, 100}; /* ain, loire, rhone */
    int total = 300 * mult;
    g->estabs = calloc((size_t)total, sizeof *g->estabs);
    if (!g->estabs)
        return ERR_NOMEM;
    for (int i = 0; i < total; i++) {
        int ci = i % g->ncircos;
        const struct commune_def *cm = &communes[g->circo_commune[ci]];
        int dep = site_departement(cm->site);
        int slot = dep == 1 ? 0 : dep == 42 ? 1 : 2;
        next_number[slot] += rng_range(r, 1, 3);
        int number = dep * 10000 + next_number[slot];
        char uai[16], name[120];
        snprintf(uai, sizeof uai, "%07d%c", number, uai_key(number));
        int kind = rng_weighted(r, kind_w, 3);
        const char *kind_code = kind == 0 ? "ecole" : kind == 1 ? "college" : "lycee";
        /* The same draws as PICK(), kept as indexes for the finer kind of the places. */
        int sub = kind == 0   ? rng_below(r, (int)NELEM(ecole_kinds))
                  : kind == 2 ? rng_below(r, (int)NELEM(lycee_kinds))
                              : 0;
        const char *prefix = kind == 0   ? ecole_kinds[sub]
                             : kind == 1 ? "Collège"
                                         : lycee_kinds[sub];
        snprintf(name, sizeof name, "%s %s", prefix, PICK(r, place_names));
        /* Écoles and collèges belong to the circonscription's sector; lycées to none. */
        int rc = store_establishment_add(g->st, uai, name, kind_code, cm->name, cm->site,
                                         kind == 2 ? NULL : g->circo_codes[ci]);
        if (rc) {
            fail_msg(g, "établissement « %s » : %s", uai,
                     rc == ERR_EXISTS ? "déjà présent dans la base" : "écriture impossible");
            return rc;
        }
        if (!g->chef_uai[0] && kind == 1 && dep == 69)
            snprintf(g->chef_uai, sizeof g->chef_uai, "%s", uai);
        struct demo_establishment *e = &g->estabs[g->nestabs++];
        snprintf(e->uai, sizeof e->uai, "%.8s", uai); /* 7 digits and a letter */
        snprintf(e->site, sizeof e->site, "%s", cm->site);
        e->kind = kind == 0   ? (enum demo_estab_kind)(DEMO_ECOLE_MATERNELLE + sub)
                  : kind == 1 ? DEMO_COLLEGE
                              : (enum demo_estab_kind)(DEMO_LYCEE + sub);
        g->stats->establishments++;
    }
    return 0;
}

static int load_territory(struct gen *g)
{
    struct rng r;
    rng_seed(&r, g->seed, 1);
    int mult = g->scale == DEMO_SCALE_NATIONAL ? 10 : 1;
    int rc = load_circonscriptions(g, mult);
    if (rc == 0)
        rc = load_establishments(g, &r, mult);
    return rc;
}

static int load_accounts(struct gen *g)
{
    for (int i = 0; i < DEMO_ACCOUNTS; i++) {
        const struct account_def *d = &account_defs[i];
        struct demo_account *a = &g->stats->accounts[i];
        struct user u = {0};
        snprintf(u.login, sizeof u.login, "%s", d->login);
        snprintf(u.display_name, sizeof u.display_name, "%s", d->name);
        /* The trainer's account shows its trainer's name (names are short: no truncation). */
        if (i == ACC_TRAINER &&
            snprintf(u.display_name, sizeof u.display_name, "%.40s %.40s (démo)",
                     g->first.t.first_name, g->first.t.last_name) < 0)
            return ERR_INVAL;
        u.role = d->role;
        u.scope_kind = d->scope;
        const char *scope = d->source == SRC_ESTABLISHMENT     ? g->chef_uai
                            : d->source == SRC_CIRCONSCRIPTION ? g->ien_circo
                            : d->source == SRC_PARCOURS        ? "meef-pe"
                                                               : "";
        snprintf(u.scope_value, sizeof u.scope_value, "%s", scope);
        int64_t id = 0;
        int rc = store_user_add(g->st, &u, g->pwhash[i], g->base, &id);
        if (rc) {
            fail_msg(g, "compte « %s » : %s", d->login,
                     rc == ERR_EXISTS ? "identifiant déjà pris dans cette base"
                                      : "écriture impossible");
            return rc;
        }
        /* The same audit entry as app_user_add. */
        json_t *after = json_pack("{ss ss ss ss ss}", "login", u.login, "name", u.display_name,
                                  "role", role_code(u.role), "scope_kind", scope_code(u.scope_kind),
                                  "scope_value", u.scope_value);
        rc = after ? app_audit(&g->ctx, "user.add", "user", id, NULL, after) : ERR_NOMEM;
        if (rc) {
            fail_msg(g, "journal d’audit : écriture impossible");
            return rc;
        }
        a->id = id;
        snprintf(a->login, sizeof a->login, "%s", u.login);
        snprintf(a->display_name, sizeof a->display_name, "%s", u.display_name);
        a->role = u.role;
        a->scope_kind = u.scope_kind;
        snprintf(a->scope_value, sizeof a->scope_value, "%s", u.scope_value);
        g->stats->accounts_count++;
    }
    return 0;
}

static int load_trainers(struct gen *g)
{
    int64_t total = g->scale == DEMO_SCALE_NATIONAL ? 100000 : 3000;
    struct gen_trainer *gt = &g->first; /* drawn before the accounts */
    for (int64_t i = 0; i < total; i++) {
        if (i > 0)
            gen_trainer(g, &g->trainer_rng, i, false, gt);
        int64_t id = 0;
        int rc = write_trainer(g, gt, &id);
        if (rc)
            return rc;
        g->stats->trainers++;
        if (i == 0) {
            g->stats->demo_trainer_id = id;
            rc = store_user_link_trainer(g->st, g->stats->accounts[ACC_TRAINER].id, id);
            if (rc) {
                fail_msg(g, "liaison du compte « formateur » impossible");
                return rc;
            }
        }
    }
    return 0;
}

int demo_scale_parse(const char *s, enum demo_scale *out)
{
    if (s && strcmp(s, "academie") == 0)
        *out = DEMO_SCALE_ACADEMIE;
    else if (s && strcmp(s, "national") == 0)
        *out = DEMO_SCALE_NATIONAL;
    else
        return ERR_INVAL;
    return 0;
}

const char *demo_scale_code(enum demo_scale scale)
{
    return scale == DEMO_SCALE_NATIONAL ? "national" : "academie";
}

/* The ANT catalogue of themes of the current campaign (seed 000: "Un catalogue non limitatif de
 * thématiques possibles, transversales et disciplinaires, est publié"), published by the comité
 * de pilotage's account through the same use case as its page. */
static int publish_ant_catalogue(struct gen *g, struct demo_stats *stats, int64_t now)
{
    static const char *const themes[] = {
        "Climat scolaire et prévention du harcèlement",
        "Évaluation par compétences",
        "Différenciation pédagogique et école inclusive",
        "Oral et maîtrise de la langue",
        "Numérique éducatif et éducation aux médias",
        "Liaison école-collège et continuité des apprentissages",
        "Orientation et prévention du décrochage",
        "Résolution de problèmes en mathématiques",
    };
    const struct demo_account *a = &stats->accounts[2]; /* copil */
    struct user copil = {.id = a->id, .role = a->role, .scope_kind = a->scope_kind};
    snprintf(copil.login, sizeof copil.login, "%s", a->login);
    snprintf(copil.display_name, sizeof copil.display_name, "%s", a->display_name);
    struct app_ctx ctx = g->ctx;
    ctx.actor = &copil;
    ctx.now = now;
    int year = 0;
    if (campaign_year_of(now, &year) != 0)
        return ERR_INVAL;
    json_t *list = json_array();
    for (size_t i = 0; i < NELEM(themes); i++)
        json_array_append_new(list, json_string(themes[i]));
    json_t *o = json_pack("{s{so}}", "ant", "themes", list);
    struct field_errors errs = {0};
    int rc = app_campaign_update(&ctx, year, o, &errs);
    json_decref(o);
    if (rc)
        fail_msg(g, "catalogue des ANT : %s", errs.count ? errs.items[0].message : err_name(rc));
    return rc;
}

int app_demo_load(struct store *st, enum demo_scale scale, uint64_t seed, struct demo_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct gen *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(stats->error, sizeof stats->error, "mémoire insuffisante");
        return ERR_NOMEM;
    }
    g->st = st;
    g->stats = stats;
    g->scale = scale;
    g->seed = seed;
    buf_init(&g->fold, 1024);
    bool began = false;
    int rc = time_parse_date(DEMO_BASE_DATE, strlen(DEMO_BASE_DATE), &g->base);
    if (rc)
        goto fail;
    g->ctx = (struct app_ctx){.st = st, .actor = NULL, .ip = NULL, .now = g->base};

    /* argon2id is slow on purpose: hash before taking the write lock. */
    for (int i = 0; i < DEMO_ACCOUNTS; i++)
        if ((rc = app_password_hash(DEMO_PASSWORD, g->pwhash[i], sizeof g->pwhash[i])) != 0) {
            fail_msg(g, "hachage des mots de passe impossible");
            goto fail;
        }

    if ((rc = store_begin(st)) != 0) {
        fail_msg(g, "la base est occupée ou en lecture seule");
        goto fail;
    }
    began = true;
    int64_t existing = 0;
    if ((rc = store_trainer_count(st, &existing)) != 0)
        goto fail;
    if (existing > 0) {
        fail_msg(g,
                 "la base contient déjà %lld formateurs ; la démonstration se charge dans une "
                 "base vide",
                 (long long)existing);
        rc = ERR_CONFLICT;
        goto fail;
    }
    index_referential(g);
    /* Trainer 0 is the one the "formateur" account logs in as: drawn first, to name it. */
    rng_seed(&g->trainer_rng, seed, 2);
    gen_trainer(g, &g->trainer_rng, 0, true, &g->first);
    if ((rc = load_referentials(g)) != 0 || (rc = load_territory(g)) != 0 ||
        (rc = load_accounts(g)) != 0 || (rc = load_trainers(g)) != 0)
        goto fail;
    /* g->first was reused to draw the other trainers: trainer 0 is read back. */
    struct trainer tutor;
    if ((rc = store_trainer_load(st, stats->demo_trainer_id, &tutor)) != 0) {
        fail_msg(g, "lecture du formateur n° %lld impossible", (long long)stats->demo_trainer_id);
        goto fail;
    }
    struct demo_placement_env env = {
        .ctx = &g->ctx,
        .stats = stats,
        .seed = seed,
        .estabs = g->estabs,
        .nestabs = g->nestabs,
        .chef_uai = g->chef_uai,
        .tutor = &tutor,
        .student_login = account_defs[ACC_STUDENT].login,
        .tutor_login = account_defs[ACC_TRAINER].login,
        .wall_now = time_now(),
    };
    if ((rc = demo_placement_load(&env)) != 0 || (rc = demo_placement_publish(&env)) != 0)
        goto fail;
    if ((rc = publish_ant_catalogue(g, stats, env.wall_now)) != 0)
        goto fail;
    struct demo_requests_env requests = {
        .ctx = &g->ctx,
        .stats = stats,
        .seed = seed,
        .estabs = g->estabs,
        .nestabs = g->nestabs,
        .wall_now = env.wall_now,
    };
    if ((rc = demo_requests_load(&requests)) != 0)
        goto fail;
    char seed_text[24];
    snprintf(seed_text, sizeof seed_text, "%llu", (unsigned long long)seed);
    json_t *after = json_pack("{ss ss sI sI sI}", "scale", demo_scale_code(scale), "seed",
                              seed_text, "trainers", (json_int_t)stats->trainers, "competences",
                              (json_int_t)stats->trainer_competences, "internship_students",
                              (json_int_t)stats->internship_students);
    if (!after || (rc = app_audit(&g->ctx, "demo.load", "demo", 0, NULL, after)) != 0) {
        rc = rc ? rc : ERR_NOMEM;
        fail_msg(g, "journal d’audit : écriture impossible");
        goto fail;
    }
    if ((rc = store_commit(st)) != 0) {
        began = false;
        fail_msg(g, "la validation de la transaction a échoué");
        goto fail;
    }
    began = false;
    rc = 0;
    goto done;
fail:
    if (began)
        store_rollback(st);
    if (!stats->error[0])
        fail_msg(g, "échec (%s)", err_name(rc));
done:
    buf_free(&g->fold);
    free(g->estabs);
    free(g);
    return rc;
}
