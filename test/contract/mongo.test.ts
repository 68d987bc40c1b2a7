// The store contract on the MongoDB engine, against a real wire server (FerretDB in CI).
// Each store gets its own database, dropped when the store closes.
import { openMongoStore } from '../../src/store/mongo'
import { describeMongo, freshMongoUri } from '../setup/env'
import { describeStoreContract } from './store-contract'

describeMongo('mongo store', () => {
  describeStoreContract('mongo', () =>
    openMongoStore({ uri: freshMongoUri('contract'), dropOnClose: true })
  )
})
