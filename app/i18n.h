/* app/i18n.h: gettext. Msgids are English; Indonesian is the default UI
 * language (po/id.po). Static tables hold N_("...") and call _() where drawn. */
#ifndef POSYANDU_APP_I18N_H
#define POSYANDU_APP_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Choose the UI language: "id" or "en" (NULL: from [ui] language, else "id").
 * Binds the text domain, finding the catalogues installed under LOCALEDIR or,
 * when run from the source tree, under build/locale beside the binary. */
void i18n_init(const char *lang);

#endif
