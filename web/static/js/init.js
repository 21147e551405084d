// Starts NHS.UK frontend's components (password show/hide, error summary focus, header menu,
// scrolling tables). Loaded as a module from the layout: the Content-Security-Policy forbids
// inline scripts, so the class that NHS.UK frontend's page template sets inline is set here.
// Pages work without it.
import { initAll } from '/assets/nhsuk/nhsuk/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();
