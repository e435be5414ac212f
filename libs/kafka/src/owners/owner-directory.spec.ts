import { Admin, AssignerProtocol } from 'kafkajs';
import { OwnerDirectory } from './owner-directory';

const TOPIC = 'inventory.commands';

const member = (address: string, partitions: number[]) => ({
  memberId: address,
  memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [TOPIC], userData: Buffer.from(address) }),
  memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { [TOPIC]: partitions }, userData: Buffer.alloc(0) }),
});

/** A directory over a group whose description the test sets before each read. */
function directoryOf() {
  let group: { state: string; members: unknown[] } = { state: 'Empty', members: [] };
  const admin = { describeGroups: () => Promise.resolve({ groups: [group] }) } as unknown as Admin;
  const directory = new OwnerDirectory({ admin, groupId: 'inventory', commandsTopic: TOPIC });
  return { directory, describe: (next: typeof group) => (group = next) };
}

describe('OwnerDirectory', () => {
  it('maps each partition to the address its owner advertises, and forgets owners that left', async () => {
    const { directory, describe } = directoryOf();
    describe({ state: 'Stable', members: [member('owner-a:7000', [0, 2]), member('owner-b:7000', [1, 3])] });
    await directory.refresh();
    expect([0, 1, 2, 3].map((partition) => directory.ownerOf(partition))).toEqual(['owner-a:7000', 'owner-b:7000', 'owner-a:7000', 'owner-b:7000']);

    describe({ state: 'Empty', members: [] });
    await directory.refresh();
    expect(directory.ownerOf(0)).toBeUndefined();
  });

  it('keeps the last map while the group rebalances (its members are described without assignments then)', async () => {
    const { directory, describe } = directoryOf();
    describe({ state: 'Stable', members: [member('owner-a:7000', [0, 1])] });
    await directory.refresh();
    describe({ state: 'PreparingRebalance', members: [{ memberId: 'x', memberMetadata: Buffer.alloc(0), memberAssignment: Buffer.alloc(0) }] });
    await directory.refresh();
    expect(directory.ownerOf(1)).toBe('owner-a:7000');
  });

  it('leaves out members that advertise nothing (older members, or owners with direct commands off)', async () => {
    const { directory, describe } = directoryOf();
    const silent = { ...member('', [1]), memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [TOPIC], userData: Buffer.alloc(0) }) };
    describe({ state: 'Stable', members: [member('owner-a:7000', [0]), silent] });
    await directory.refresh();
    expect([directory.ownerOf(0), directory.ownerOf(1)]).toEqual(['owner-a:7000', undefined]);
  });
});
