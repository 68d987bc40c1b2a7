// The officer workspace's one script. The pages are boosted (hx-boost), so this module stays
// loaded across navigation, with the unlocked keys in memory; it (re)initialises whatever page
// or fragment htmx has just put in place. Nothing decrypted is written to storage or the URL.
import { initGrantForm, initHandover } from './officer-access'
import { initCasePage } from './officer-case'
import { createOfficerApi } from './officer-http'
import { fillTitles, initTextFilter } from './officer-inbox'
import { htmx } from './htmx'
import { initIntake } from './officer-intake'
import { readOfficerConfig } from './officer-ui'
import { onPage } from './page'

const api = createOfficerApi()

/** htmx swaps 2xx only by default; these pages answer 409/422 with the form and its message. */
function swapRefusals(): void {
  const api = htmx()
  if (!api) return
  api.config.responseHandling = [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '409|422', swap: true, error: false },
    { code: '[45]..', swap: false, error: true },
  ]
}

function init(): void {
  const page = readOfficerConfig()
  if (!page) return
  switch (page.config.page.kind) {
    case 'inbox':
      initTextFilter(page)
      void fillTitles(page, api)
      break
    case 'case':
      void initCasePage(page, api)
      break
    case 'access':
      initGrantForm(page, api)
      break
    case 'handover':
      initHandover(page, api)
      break
    case 'intake':
      initIntake(page, api)
      break
    default:
      break
  }
}

swapRefusals()
// After boosted navigation (a new page in the same document) and after fragment swaps (new
// inbox rows): set up whatever arrived.
onPage(init, { everySwap: true })
